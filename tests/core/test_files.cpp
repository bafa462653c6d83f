#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <optiloop/core/files.hpp>

#include "support/process_dir.hpp"

namespace fs = std::filesystem;
using optiloop::core::cannot_write;

TEST(Files, CannotWriteSaysWhyBeforeTheWork) {
    const fs::path dir = test_support::process_dir("optiloop-files-") / "cannot-write";
    fs::create_directories(dir);
    const fs::path file = dir / "existing.txt";
    std::ofstream(file) << "x";
    // Writable: a new file or folder below an existing folder, however deep; the existing kinds.
    EXPECT_EQ(cannot_write(dir / "a" / "b" / "out.sarif", false), "");
    EXPECT_EQ(cannot_write(dir / "new-folder", true), "");
    EXPECT_EQ(cannot_write(file, false), "");
    EXPECT_EQ(cannot_write(dir, true), "");
    // Not: the wrong kind, below a file, or where the file system refuses new files (even root).
    EXPECT_EQ(cannot_write(file, true), "not a folder");
    EXPECT_EQ(cannot_write(dir, false), "a folder, not a file");
    EXPECT_EQ(cannot_write(file / "out.json", false), file.string() + " is not a folder");
    EXPECT_EQ(cannot_write("/proc/optiloop-out/x.html", false), "/proc is not writable");
    // The probe leaves nothing behind.
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
}

TEST(Files, WriteFileAtomicallyCreatesTheFoldersAbove) {
    const fs::path target = test_support::process_dir("optiloop-files-") / "x" / "y" / "report.html";
    ASSERT_TRUE(optiloop::core::write_file_atomically(target, "<html>"));
    EXPECT_EQ(optiloop::core::read_file(target), "<html>");
}

TEST(Files, SourceKinds) {
    using optiloop::core::is_cpp_source;
    for (const char* yes : {"a.cpp", "dir/b.cc", "c.cxx", "d.c++", "e.c", "f.hpp", "g.hh", "h.hxx", "i.h", "j.ipp", "k.inl"})
        EXPECT_TRUE(is_cpp_source(yes)) << yes;
    for (const char* no : {"a.cu", "README.md", "task.json", "Makefile", ".h", "x.cpp.orig"})
        EXPECT_FALSE(is_cpp_source(no)) << no;
}
