// Reading and writing whole files, and which sources a compiler translates. Shared by every
// module that touches task files, caches and outputs.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace optiloop::core {

// The whole file, or nullopt when it cannot be opened.
std::optional<std::string> read_file(const std::filesystem::path& path);

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
