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

bool is_translation_unit(std::string_view path) {
    static constexpr std::array<std::string_view, 5> k_extensions = {".cpp", ".cc", ".cxx", ".c", ".cu"};
    for (std::string_view ext : k_extensions)
        if (path.size() > ext.size() && path.substr(path.size() - ext.size()) == ext) return true;
    return false;
}

}  // namespace optiloop::core
