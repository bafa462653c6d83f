#include <unistd.h>

#include <array>
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
