#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <optiloop/core/files.hpp>

#include "support/deadline.hpp"
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

namespace {

using optiloop::core::is_within;
using optiloop::core::open_file_within;
using optiloop::core::open_regular_file;

// A folder and, beside it, one whose name starts with the same characters: a string prefix test
// would take the second for inside the first.
struct Tree {
    fs::path root, outside;
    explicit Tree(const std::string& name) {
        const fs::path base = test_support::process_dir("optiloop-files-") / name;
        root = base / "task";
        outside = base / "task-evil";
        fs::create_directories(root / "sub");
        fs::create_directories(outside);
        std::ofstream(root / "sub" / "data.txt") << "inside\n";
        std::ofstream(outside / "secret.txt") << "secret\n";
    }
};

std::string refusal(const fs::path& path, const fs::path& root, std::uintmax_t cap = 1 << 20) {
    auto file = test_support::within_seconds(20, [&] { return open_file_within(path, root, cap); });
    return file ? "" : file.error().message;
}

}  // namespace

TEST(Files, IsWithinComparesWholeComponents) {
    EXPECT_TRUE(is_within("/data/task", "/data/task"));
    EXPECT_TRUE(is_within("/data/task/tests/01.in", "/data/task"));
    EXPECT_TRUE(is_within("/data/task/tests", "/data/task/"));
    EXPECT_TRUE(is_within("/anything", "/"));
    EXPECT_FALSE(is_within("/data/task-evil/x", "/data/task"));
    EXPECT_FALSE(is_within("/data/taskx", "/data/task"));
    EXPECT_FALSE(is_within("/data", "/data/task"));
    EXPECT_FALSE(is_within("/etc/shadow", "/data/task"));
}

TEST(Files, OpenFileWithinReadsRegularFilesAndSymlinksThatStayInside) {
    const Tree t("inside");
    auto plain = open_file_within(t.root / "sub" / "data.txt", t.root, 1024);
    ASSERT_TRUE(plain) << plain.error().message;
    EXPECT_EQ(plain->size(), 7u);
    EXPECT_EQ(plain->read().value_or(""), "inside\n");
    // Relative and absolute links, and a link to a folder, all resolving inside.
    fs::create_symlink("sub/data.txt", t.root / "relative.txt");
    fs::create_symlink(t.root / "sub" / "data.txt", t.root / "absolute.txt");
    fs::create_directory_symlink("sub", t.root / "linked");
    for (const fs::path& p : {t.root / "relative.txt", t.root / "absolute.txt", t.root / "linked" / "data.txt"}) {
        auto file = open_file_within(p, t.root, 1024);
        ASSERT_TRUE(file) << file.error().message;
        EXPECT_EQ(file->read().value_or(""), "inside\n") << p;
        EXPECT_EQ(file->path(), p);
    }
}

TEST(Files, OpenFileWithinRefusesWhatLeavesTheRootOrIsNoRegularFile) {
    const Tree t("refused");
    const fs::path real_root = fs::canonical(t.root), real_outside = fs::canonical(t.outside);
    // A symlink out, also into a sibling whose name merely starts like the root's.
    fs::create_symlink(t.outside / "secret.txt", t.root / "escape.txt");
    EXPECT_EQ(refusal(t.root / "escape.txt", t.root),
              (t.root / "escape.txt").string() + ": a symlink to " + (real_outside / "secret.txt").string() + ", outside " +
                  real_root.string());
    fs::create_symlink("../../../../../../../../etc/passwd", t.root / "dots.txt");
    EXPECT_EQ(refusal(t.root / "dots.txt", t.root),
              (t.root / "dots.txt").string() + ": a symlink to /etc/passwd, outside " + real_root.string());
    // Through a symlinked folder: the file itself is no link, its folder leads out.
    fs::create_directory_symlink(t.outside, t.root / "out");
    EXPECT_EQ(refusal(t.root / "out" / "secret.txt", t.root),
              (t.root / "out" / "secret.txt").string() + ": resolves to " + (real_outside / "secret.txt").string() +
                  ", outside " + real_root.string());
    EXPECT_EQ(refusal(t.outside / "secret.txt", t.root),
              (t.outside / "secret.txt").string() + ": outside " + real_root.string());
    // Dangling and looping links.
    fs::create_symlink("nowhere.txt", t.root / "dangling.txt");
    EXPECT_EQ(refusal(t.root / "dangling.txt", t.root), (t.root / "dangling.txt").string() + ": a symlink to nowhere.txt, which does not exist");
    fs::create_symlink("loop.txt", t.root / "loop.txt");
    EXPECT_EQ(refusal(t.root / "loop.txt", t.root), (t.root / "loop.txt").string() + ": a symlink loop (to loop.txt)");
    EXPECT_EQ(refusal(t.root / "absent.txt", t.root), (t.root / "absent.txt").string() + ": missing");
    // Not regular files, none of them opened (a FIFO would block).
    ASSERT_EQ(::mkfifo((t.root / "fifo.txt").c_str(), 0600), 0);
    EXPECT_EQ(refusal(t.root / "fifo.txt", t.root), (t.root / "fifo.txt").string() + ": not a regular file (a FIFO)");
    fs::create_symlink("fifo.txt", t.root / "to-fifo.txt");
    EXPECT_EQ(refusal(t.root / "to-fifo.txt", t.root), (t.root / "to-fifo.txt").string() + ": not a regular file (a symlink to a FIFO)");
    EXPECT_EQ(refusal(t.root / "sub", t.root), (t.root / "sub").string() + ": not a regular file (a directory)");
    const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_GE(sock, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string socket_path = (t.root / "socket.txt").string();
    ASSERT_LT(socket_path.size(), sizeof(address.sun_path));
    std::copy(socket_path.begin(), socket_path.end(), address.sun_path);
    ASSERT_EQ(::bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    ::close(sock);
    EXPECT_EQ(refusal(t.root / "socket.txt", t.root), socket_path + ": not a regular file (a socket)");
    fs::create_symlink("/dev/zero", t.root / "zero.txt");
    EXPECT_EQ(refusal(t.root / "zero.txt", t.root), (t.root / "zero.txt").string() + ": a symlink to /dev/zero, outside " + real_root.string());
    EXPECT_EQ(refusal("/dev/zero", "/dev"), "/dev/zero: not a regular file (a character device)");
}

TEST(Files, OpenFileWithinTakesTheSizeFromTheDescriptorAndHoldsItToTheLimit) {
    const Tree t("size");
    // Sparse: the size is in the inode, no disk is written.
    const fs::path big = t.root / "big.txt";
    std::ofstream(big).close();
    fs::resize_file(big, (std::uintmax_t{1} << 30) + 1);
    EXPECT_EQ(refusal(big, t.root, std::uintmax_t{1} << 30),
              big.string() + ": too large (1073741825 bytes; the limit is 1 GiB)");
    auto at_limit = open_file_within(t.root / "sub" / "data.txt", t.root, 7);
    ASSERT_TRUE(at_limit) << at_limit.error().message;
    // Bytes appended after the open are not read: the size is the one the descriptor had.
    std::ofstream(t.root / "sub" / "data.txt", std::ios::app) << "appended later\n";
    EXPECT_EQ(at_limit->read().value_or(""), "inside\n");
    EXPECT_EQ(refusal(t.root / "sub" / "data.txt", t.root, 7),
              (t.root / "sub" / "data.txt").string() + ": too large (22 bytes; the limit is 7 bytes)");
}

TEST(Files, OpenRegularFileFollowsTheUsersLinksButNeverBlocks) {
    const Tree t("named");
    fs::create_symlink(t.outside / "secret.txt", t.root / "chosen.txt");
    auto chosen = open_regular_file(t.root / "chosen.txt", 1024);
    ASSERT_TRUE(chosen) << chosen.error().message;
    EXPECT_EQ(chosen->read().value_or(""), "secret\n");
    ASSERT_EQ(::mkfifo((t.root / "fifo.jsonl").c_str(), 0600), 0);
    auto fifo = test_support::within_seconds(20, [&] { return open_regular_file(t.root / "fifo.jsonl", 1024); });
    ASSERT_FALSE(fifo);
    EXPECT_EQ(fifo.error().message, (t.root / "fifo.jsonl").string() + ": not a regular file (a FIFO)");
    EXPECT_EQ(fifo.error().kind, optiloop::core::ErrorKind::input);
    auto large = open_regular_file(t.outside / "secret.txt", 3);
    ASSERT_FALSE(large);
    EXPECT_EQ(large.error().message, (t.outside / "secret.txt").string() + ": too large (7 bytes; the limit is 3 bytes)");
}

TEST(Files, DescribeBytes) {
    using optiloop::core::describe_bytes;
    EXPECT_EQ(describe_bytes(std::uintmax_t{1} << 30), "1 GiB");
    EXPECT_EQ(describe_bytes(std::uintmax_t{4} << 20), "4 MiB");
    EXPECT_EQ(describe_bytes(std::uintmax_t{2} << 40), "2 TiB");
    EXPECT_EQ(describe_bytes(1536), "1536 bytes");
    EXPECT_EQ(describe_bytes(2048), "2 KiB");
    EXPECT_EQ(describe_bytes(1), "1 byte");
    EXPECT_EQ(describe_bytes(0), "0 bytes");
}
