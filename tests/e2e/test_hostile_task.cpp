// End-to-end: a hostile task folder through the real optiloop binary. A test input that is a FIFO
// (which would block the run forever) or a symlink leaving the folder (which would hand another
// file, /etc/shadow say, to the candidate) stops the command before anything runs: exit 2 and
// one line on stderr naming the file and what was expected.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/process_dir.hpp"

namespace fs = std::filesystem;

namespace {

struct CliResult {
    int code = -1;
    std::string out, err;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Under timeout(1): a command that blocks on a FIFO exits 124 instead of hanging the suite.
CliResult optiloop(const std::string& args) {
    const fs::path dir = test_support::process_dir("optiloop-e2e-hostile-");
    const fs::path out = dir / "stdout", err = dir / "stderr";
    const std::string command = "timeout -k 5 60 " + std::string(OPTILOOP_BINARY) + " " + args + " > " + out.string() +
                                " 2> " + err.string() + " < /dev/null";
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

// A valid stdio task folder, named `name`, whose tests/01.in the caller then replaces.
fs::path task_folder(const std::string& name) {
    const fs::path dir = test_support::process_dir("optiloop-e2e-hostile-") / name;
    fs::create_directories(dir / "baseline");
    fs::create_directories(dir / "tests");
    std::ofstream(dir / "task.json") << R"({"id":")" << name << R"(","language":"cpp","kind":"stdio"})";
    std::ofstream(dir / "baseline" / "main.cpp") << "#include <cstdio>\nint main(){int x; if (std::scanf(\"%d\", &x) == 1) std::printf(\"%d\\n\", x);}\n";
    std::ofstream(dir / "tests" / "01.out") << "1\n";
    return dir;
}

void expect_refused(const std::string& args, const std::string& command, const std::string& line) {
    const CliResult r = optiloop(args);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.err;
    EXPECT_EQ(r.err, "optiloop " + command + ": " + line + "\n") << args;
    EXPECT_TRUE(r.out.empty()) << args << "\n" << r.out;
}

}  // namespace

TEST(HostileTask, AFifoTestInputStopsOptimizeAndMeasureAtOnce) {
    const fs::path dir = task_folder("fifo-input");
    ASSERT_EQ(::mkfifo((dir / "tests" / "01.in").c_str(), 0600), 0);
    const std::string line = (dir / "tests" / "01.in").string() +
                             ": not a regular file (a FIFO); test inputs must be regular files inside the task folder";
    for (const std::string command : {"optimize", "measure"}) expect_refused(command + " " + dir.string(), command, line);
}

TEST(HostileTask, ATestInputLinkedOutsideTheFolderIsNeverRun) {
    const fs::path dir = task_folder("linked-input");
    const fs::path secret = dir.string() + "-outside/shadow";
    fs::create_directories(secret.parent_path());
    std::ofstream(secret) << "root:$6$secret:19000:0:99999:7:::\n";
    fs::create_symlink(secret, dir / "tests" / "01.in");
    const std::string line = (dir / "tests" / "01.in").string() + ": a symlink to " + fs::canonical(secret).string() +
                             ", outside " + fs::canonical(dir).string() + "; test inputs must be regular files inside the task folder";
    for (const std::string command : {"optimize", "measure"}) expect_refused(command + " " + dir.string(), command, line);
}

TEST(HostileTask, ASourceFileWithAHostileTestsFolderIsRefusedToo) {
    // The other way in: a source file with --tests DIR, held to the same rules with DIR as the root.
    const fs::path dir = task_folder("source-with-tests");
    ASSERT_EQ(::mkfifo((dir / "tests" / "01.in").c_str(), 0600), 0);
    const std::string args = (dir / "baseline" / "main.cpp").string() + " --tests " + (dir / "tests").string();
    const std::string line = "--tests: " + (dir / "tests" / "01.in").string() +
                             ": not a regular file (a FIFO); test inputs must be regular files inside the test folder";
    for (const std::string command : {"optimize", "measure"}) expect_refused(command + " " + args, command, line);
    // And a source that is a FIFO itself.
    const fs::path fifo_source = dir / "fifo.cpp";
    ASSERT_EQ(::mkfifo(fifo_source.c_str(), 0600), 0);
    const CliResult r = optiloop("measure " + fifo_source.string() + " --tests " + (dir / "tests").string());
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("not a regular file (a FIFO); expected a C++ or CUDA source file"), std::string::npos) << r.err;
}
