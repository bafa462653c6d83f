#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

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

RegularFile::RegularFile(RegularFile&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)), m_size(other.m_size), m_path(std::move(other.m_path)) {}

RegularFile& RegularFile::operator=(RegularFile&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
        m_size = other.m_size;
        m_path = std::move(other.m_path);
    }
    return *this;
}

RegularFile::~RegularFile() {
    if (m_fd >= 0) ::close(m_fd);
}

Result<std::string> RegularFile::read() {
    std::string bytes(static_cast<std::size_t>(m_size), '\0');
    std::size_t got = 0;
    while (got < bytes.size()) {
        const ssize_t n = ::pread(m_fd, bytes.data() + got, bytes.size() - got, static_cast<off_t>(got));
        if (n < 0) {
            const int error = errno;
            if (error == EINTR) continue;
            return fail(Error::input(m_path.string() + ": cannot be read (" + std::strerror(error) + ")"));
        }
        if (n == 0) break;  // shrank since it was opened
        got += static_cast<std::size_t>(n);
    }
    bytes.resize(got);
    return bytes;
}

bool is_within(const fs::path& path, const fs::path& root) {
    // Trailing separators give an empty last component; they name the same folder.
    const auto components = [](const fs::path& p) {
        std::vector<fs::path> parts;
        for (const auto& part : p)
            if (!part.empty()) parts.push_back(part);
        return parts;
    };
    const auto inner = components(path), outer = components(root);
    if (outer.size() > inner.size()) return false;
    return std::equal(outer.begin(), outer.end(), inner.begin());
}

namespace {

std::string describe_mode(mode_t mode) {
    if (S_ISREG(mode)) return "a regular file";
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISLNK(mode)) return "a symlink";
    return "an unknown kind of file";
}

Error path_error(const fs::path& path, const std::string& why) { return Error::input(path.string() + ": " + why); }

Error errno_error(const fs::path& path, const char* doing) {
    const int error = errno;
    if (error == ENOENT) return path_error(path, "missing");
    return path_error(path, std::string(doing) + " (" + std::strerror(error) + ")");
}

struct Resolved {
    fs::path real;       // every symlink resolved
    fs::path real_root;  // the same for the root
    bool link = false;   // the path's own last component is a symlink
};

Result<Resolved> resolve(const fs::path& path, const fs::path& root) {
    Resolved r;
    std::error_code ec;
    r.real_root = fs::canonical(root, ec);
    if (ec) return fail(path_error(root, "cannot be resolved (" + ec.message() + ")"));
    // lstat and realpath (inside canonical) look at links without opening anything.
    struct stat link {};
    if (::lstat(path.c_str(), &link) != 0) return fail(errno_error(path, "cannot be examined"));
    r.link = S_ISLNK(link.st_mode);
    r.real = fs::canonical(path, ec);
    if (ec) {
        if (!r.link) return fail(path_error(path, "cannot be resolved (" + ec.message() + ")"));
        std::error_code read_ec;
        const std::string target = fs::read_symlink(path, read_ec).string();
        if (ec == std::errc::too_many_symbolic_link_levels) return fail(path_error(path, "a symlink loop (to " + target + ")"));
        if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory)
            return fail(path_error(path, "a symlink to " + target + ", which does not exist"));
        return fail(path_error(path, "a symlink to " + target + " that cannot be resolved (" + ec.message() + ")"));
    }
    if (!is_within(r.real, r.real_root)) {
        const bool moved = r.real != fs::absolute(path, ec).lexically_normal();
        const std::string what = r.link ? "a symlink to " + r.real.string() + ", outside "
                                 : moved ? "resolves to " + r.real.string() + ", outside "
                                         : "outside ";
        return fail(path_error(path, what + r.real_root.string()));
    }
    return r;
}

// Where an open descriptor's file is, from /proc; nullopt where /proc is not mounted.
std::optional<fs::path> opened_path(int fd) {
    std::array<char, PATH_MAX> target{};
    const std::string link = "/proc/self/fd/" + std::to_string(fd);
    const ssize_t n = ::readlink(link.c_str(), target.data(), target.size() - 1);
    if (n <= 0) return std::nullopt;
    return fs::path(std::string(target.data(), static_cast<std::size_t>(n)));
}

// Closes a descriptor on every early return.
class Descriptor {
public:
    explicit Descriptor(int fd) : m_fd(fd) {}
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    ~Descriptor() {
        if (m_fd >= 0) ::close(m_fd);
    }
    [[nodiscard]] int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }

private:
    int m_fd;
};

// Opens real without blocking (O_NONBLOCK: opening a FIFO for reading returns at once) and
// checks on the descriptor that it is a regular file of at most max_bytes; messages name
// `named`, the caller's path. With real_root, the file must also still be within it.
Result<RegularFile> open_checked(const fs::path& real, const fs::path& named, int extra_flags, std::uintmax_t max_bytes,
                                 const fs::path* real_root = nullptr) {
    Descriptor fd(::open(real.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | extra_flags));
    if (fd.get() < 0) {
        if (errno == ELOOP) return fail(path_error(named, "changed while being opened (now a symlink)"));
        return fail(errno_error(named, "cannot be opened"));
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return fail(errno_error(named, "cannot be examined"));
    if (!S_ISREG(st.st_mode)) return fail(path_error(named, "not a regular file (" + describe_mode(st.st_mode) + ")"));
    // A folder above it swapped for a symlink between the check and the open would have led
    // elsewhere: where the descriptor really points must still be within root.
    if (real_root)
        if (auto where = opened_path(fd.get()); where && !is_within(*where, *real_root))
            return fail(path_error(named, "changed while being opened (now " + where->string() + ", outside " + real_root->string() + ")"));
    const auto size = static_cast<std::uintmax_t>(st.st_size);
    if (size > max_bytes)
        return fail(path_error(named, "too large (" + std::to_string(size) + " bytes; the limit is " + describe_bytes(max_bytes) + ")"));
    return RegularFile(fd.release(), size, named);
}

}  // namespace

Result<fs::path> resolve_within(const fs::path& path, const fs::path& root) {
    auto r = resolve(path, root);
    if (!r) return fail(r.error());
    return r->real;
}

Result<RegularFile> open_file_within(const fs::path& path, const fs::path& root, std::uintmax_t max_bytes) {
    auto r = resolve(path, root);
    if (!r) return fail(r.error());
    // Refused before opening: opening a device can have effects of its own.
    struct stat st {};
    if (::lstat(r->real.c_str(), &st) != 0) return fail(errno_error(path, "cannot be examined"));
    if (!S_ISREG(st.st_mode))
        return fail(path_error(path, std::string("not a regular file (") + (r->link ? "a symlink to " : "") + describe_mode(st.st_mode) + ")"));
    return open_checked(r->real, path, O_NOFOLLOW, max_bytes, &r->real_root);
}

Result<RegularFile> open_regular_file(const fs::path& path, std::uintmax_t max_bytes) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return fail(errno_error(path, "cannot be examined"));
    if (!S_ISREG(st.st_mode)) return fail(path_error(path, "not a regular file (" + describe_mode(st.st_mode) + ")"));
    return open_checked(path, path, 0, max_bytes);
}

std::string describe_bytes(std::uintmax_t bytes) {
    constexpr std::array<std::pair<std::uintmax_t, const char*>, 4> k_units = {
        {{std::uintmax_t{1} << 40, "TiB"}, {std::uintmax_t{1} << 30, "GiB"}, {std::uintmax_t{1} << 20, "MiB"}, {std::uintmax_t{1} << 10, "KiB"}}};
    for (const auto& [unit, name] : k_units)
        if (bytes >= unit && bytes % unit == 0) return std::to_string(bytes / unit) + " " + name;
    return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
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
