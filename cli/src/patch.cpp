#include <cstdlib>
#include <filesystem>

#include <optiloop/core/files.hpp>
#include <optiloop/runner/repository.hpp>

#include "patch.hpp"

namespace optiloop::cli {

namespace fs = std::filesystem;

std::string unified_diff(const std::string& path, const std::string& before, const std::string& after) {
    std::string dir_template = (fs::temp_directory_path() / "optiloop-diff-XXXXXX").string();
    if (!::mkdtemp(dir_template.data())) return "";
    const fs::path dir = dir_template;
    std::string text;
    if (core::write_file_atomically(dir / "a", before) && core::write_file_atomically(dir / "b", after))
        text = runner::run_host({"diff", "-u", "--label", "a/" + path, "--label", "b/" + path, (dir / "a").string(), (dir / "b").string()}).output;
    std::error_code ec;
    fs::remove_all(dir, ec);
    return text;
}

std::string patch_of(const std::vector<core::SourceFile>& before, const std::vector<core::SourceFile>& after) {
    std::string patch;
    for (const auto& file : after) {
        std::string old;
        for (const auto& b : before)
            if (b.path == file.path) old = b.content;
        if (old != file.content) patch += unified_diff(file.path, old, file.content);
    }
    return patch;
}

}  // namespace optiloop::cli
