// Reading and writing whole files, and which sources a compiler translates. Shared by every
// module that touches task files, caches and outputs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <optiloop/core/error.hpp>

namespace optiloop::core {

// Sources (a task's baseline/, reference/, harness/, checker program; a repository's file): read
// into memory and sent to proposers, so held to this size.
inline constexpr std::uintmax_t k_max_source_file_bytes = std::uintmax_t{4} << 20;  // 4 MiB

// The whole file, or nullopt when it cannot be opened. Unbounded and follows symlinks: for files
// optiloop wrote itself; files someone else prepared go through open_file_within.
std::optional<std::string> read_file(const std::filesystem::path& path);

// A regular file open for reading, its size taken from the open descriptor (not from the path,
// which may have changed since).
class RegularFile {
public:
    // Takes ownership of fd (closed by the destructor); made by open_file_within and open_regular_file.
    RegularFile(int fd, std::uintmax_t size, std::filesystem::path path)
        : m_fd(fd), m_size(size), m_path(std::move(path)) {}
    RegularFile(RegularFile&& other) noexcept;
    RegularFile& operator=(RegularFile&& other) noexcept;
    RegularFile(const RegularFile&) = delete;
    RegularFile& operator=(const RegularFile&) = delete;
    ~RegularFile();

    [[nodiscard]] std::uintmax_t size() const { return m_size; }
    // The open descriptor, still owned by this object (to copy the file without reading it here).
    [[nodiscard]] int descriptor() const { return m_fd; }
    // As the caller named it, for messages.
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    // The content: never more than size() bytes, even if the file grew after it was opened.
    Result<std::string> read();

private:
    int m_fd = -1;
    std::uintmax_t m_size = 0;
    std::filesystem::path m_path;
};

// Whether path is root or below it, compared component by component: /data/task-evil is not
// below /data/task. Both as given (pass canonical paths: this resolves nothing).
bool is_within(const std::filesystem::path& path, const std::filesystem::path& root);

// path with every symlink resolved, when that stays within root (itself resolved too). Opens
// nothing, so a FIFO cannot block it. Errors are one line "PATH: why" (a symlink leaving root,
// a dangling symlink, a loop).
Result<std::filesystem::path> resolve_within(const std::filesystem::path& path, const std::filesystem::path& root);

// Opens a file of a folder someone else prepared (a task folder, a dataset's tests): it must be
// a regular file, or a symlink whose fully resolved target is a regular file within root, of at
// most max_bytes. A FIFO, socket or device is refused before anything opens it; the resolved
// path is then opened with O_NOFOLLOW | O_NONBLOCK and checked again on the descriptor, so a
// file swapped in between can neither block nor escape. Errors are one line "PATH: why", for
// the caller to follow with what it expected.
Result<RegularFile> open_file_within(const std::filesystem::path& path, const std::filesystem::path& root,
                                     std::uintmax_t max_bytes);

// The same for a file the user named directly (a dataset file on the command line): its
// symlinks are followed wherever they lead, since the user chose the path.
Result<RegularFile> open_regular_file(const std::filesystem::path& path, std::uintmax_t max_bytes);

// A byte count for a message: "1 GiB", "4 MiB", "512 KiB" for exact multiples, else "N bytes".
std::string describe_bytes(std::uintmax_t bytes);

// Writes through a temporary file beside the target and renames it over, so a reader never
// sees half a file; creates the folders above it that are missing. False when anything failed.
bool write_file_atomically(const std::filesystem::path& path, std::string_view bytes,
                           std::optional<std::filesystem::perms> perms = std::nullopt);

// Why a file (folder = false) or a folder could not be written at path, or "" when it can: the
// path, when it exists, is of that kind and writable, else its nearest existing ancestor is a
// writable folder. For checking an output flag before the work whose result it receives.
std::string cannot_write(const std::filesystem::path& path, bool folder);

// A source a compiler translates on its own (.cpp .cc .cxx .c .cu), not a header.
bool is_translation_unit(std::string_view path);

// A C or C++ source or header by its extension (.cpp .cc .cxx .c++ .c .hpp .hh .hxx .h .ipp
// .inl): what the C++ analyzer reads. Not CUDA.
bool is_cpp_source(std::string_view path);

}  // namespace optiloop::core
