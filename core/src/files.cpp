#include <unistd.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <optiloop/core/files.hpp>

namespace optiloop::core {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool write_file_atomically(const fs::path& path, std::string_view bytes, std::optional<fs::perms> perms) {
    if (path.has_parent_path()) {
        std::error_code created;
        fs::create_directories(path.parent_path(), created);
    }
    const fs::path tmp = path.string() + ".tmp" + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out) return false;
    }
    std::error_code ec;
    if (perms) fs::permissions(tmp, *perms, ec);
    fs::rename(tmp, path, ec);
    return !ec;
}

namespace {

// Whether a file can be created in folder: by creating one (and removing it), since permission
// bits do not tell for root, nor for file systems such as /proc that refuse new files.
bool can_create_in(const fs::path& folder) {
    std::string name = (folder / ".optiloop-probe-XXXXXX").string();
    const int fd = ::mkstemp(name.data());
    if (fd < 0) return false;
    ::close(fd);
    ::unlink(name.c_str());
    return true;
}

}  // namespace

std::string cannot_write(const fs::path& path, bool folder) {
    std::error_code ec;
    const fs::path absolute = fs::absolute(path, ec);
    if (ec) return "not a usable path";
    if (fs::exists(absolute, ec)) {
        if (fs::is_directory(absolute, ec) != folder) return folder ? "not a folder" : "a folder, not a file";
        // A file is replaced through a temporary file beside it.
        return can_create_in(folder ? absolute : absolute.parent_path()) ? "" : "not writable";
    }
    for (fs::path ancestor = absolute.parent_path();; ancestor = ancestor.parent_path()) {
        if (fs::exists(ancestor, ec)) {
            if (!fs::is_directory(ancestor, ec)) return ancestor.string() + " is not a folder";
            return can_create_in(ancestor) ? "" : ancestor.string() + " is not writable";
        }
        if (ancestor == ancestor.root_path()) return "no existing folder above it";
    }
}

namespace {

template <std::size_t n>
bool has_extension(std::string_view path, const std::array<std::string_view, n>& extensions) {
    for (std::string_view ext : extensions)
        if (path.size() > ext.size() && path.substr(path.size() - ext.size()) == ext) return true;
    return false;
}

}  // namespace

bool is_translation_unit(std::string_view path) {
    static constexpr std::array<std::string_view, 5> k_extensions = {".cpp", ".cc", ".cxx", ".c", ".cu"};
    return has_extension(path, k_extensions);
}

bool is_cpp_source(std::string_view path) {
    static constexpr std::array<std::string_view, 11> k_extensions = {".cpp", ".cc",  ".cxx", ".c++", ".c",  ".hpp",
                                                                      ".hh",  ".hxx", ".h",   ".ipp", ".inl"};
    return has_extension(path, k_extensions);
}

}  // namespace optiloop::core
