// The static check of CUDA kernel candidates (harness_check.hpp). It reads the candidate the way
// the compiler will: lines spliced, comments dropped, literals skipped, the candidate's own
// headers included and its macros expanded, then walks namespaces, classes and function bodies to
// judge each declaration. Where it cannot tell what the compiler will see (a conditional group cut
// through a declaration, a macro defined in a branch, token pasting) it refuses rather than guess:
// a refused honest candidate costs one sample, an accepted forgery costs the ranking.
#include <optiloop/runner/harness_check.hpp>

#include <algorithm>
#include <array>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace optiloop::runner {

namespace {

constexpr int k_max_expansions = 100000;  // macro expansions per file; beyond this is a bomb
constexpr int k_max_include_depth = 16;

// Why a construct is refused, as the parenthesis of the message.
constexpr const char* k_no_io = "no I/O: the harness alone reports the cost";
constexpr const char* k_no_process =
    "no processes, threads, signals, exit hooks or environment: a candidate is a kernel and its "
    "launch";
constexpr const char* k_no_loading = "no dynamic loading or remapping of the process's memory";
constexpr const char* k_no_timing =
    "it would change what the harness's CUDA events measure, or the device's state";
constexpr const char* k_no_state =
    "no state may persist between calls: the harness times repeated calls, and a remembered result "
    "would make them free";
constexpr const char* k_no_interposing = "it would replace a function the harness itself calls";
constexpr const char* k_unreadable = "the check must see what the compiler will see";
constexpr const char* k_no_attributes =
    "attributes can run code before main or after the cost is written, rename symbols or move "
    "code: only the standard ones";

enum class TokenKind { identifier, number, literal, punctuator, directive };

struct Directive;

struct Token {
    TokenKind kind = TokenKind::punctuator;
    std::string text;
    int file = 0;  // index into the checker's file names
    int line = 0;
    bool space_before = false;  // tells `#define F(x)` from `#define F (x)`
    std::shared_ptr<const std::set<std::string>> hidden;  // macros not to expand in it again
    std::shared_ptr<const Directive> directive;           // kind == directive
};

struct Directive {
    std::string name;  // "define", "include", ...; empty for a lone '#'
    std::vector<Token> tokens;
    std::string header;  // #include: the name between the delimiters
    bool angled = false;
};

struct Macro {
    bool function_like = false;
    bool variadic = false;
    std::vector<std::string> parameters;
    std::vector<Token> body;
};

// The check stops at the first refusal: every step returns false once one is recorded.
struct Refusal {
    std::string message;
};

bool is_ident_start(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c >= 0x80;
}
bool is_ident_char(unsigned char c) {
    return is_ident_start(c) || (c >= '0' && c <= '9');
}
bool is_digit(unsigned char c) {
    return c >= '0' && c <= '9';
}
bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}
bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A table of names from one space-separated list: the views point into the literal.
std::set<std::string_view> name_set(std::string_view list) {
    std::set<std::string_view> names;
    while (!list.empty()) {
        const std::size_t end = std::min(list.find(' '), list.size());
        if (end > 0) names.insert(list.substr(0, end));
        list.remove_prefix(std::min(end + 1, list.size()));
    }
    return names;
}

bool is_keyword(std::string_view s) {
    static const auto k_keywords = name_set(
        "alignas alignof asm auto bool break case catch char char8_t char16_t char32_t class "
        "concept const consteval constexpr constinit const_cast continue co_await co_return "
        "co_yield decltype default delete do double dynamic_cast else enum explicit export extern "
        "false float for friend goto if inline int long mutable namespace new noexcept nullptr "
        "operator private protected public register reinterpret_cast requires return short signed "
        "sizeof static static_assert static_cast struct switch template this thread_local throw "
        "true try typedef typeid typename union unsigned using virtual void volatile wchar_t "
        "while final override __global__ __device__ __host__ __shared__ __constant__ __managed__ "
        "__forceinline__ __noinline__ __restrict__ __launch_bounds__ __align__ __grid_constant__ "
        "__inline__ __asm__ __asm");
    return k_keywords.count(s) != 0;
}

bool is_type_keyword(std::string_view s) {
    static const auto k_types = name_set(
        "bool char char8_t char16_t char32_t wchar_t short int long signed unsigned float double "
        "void auto const volatile struct class typename enum");
    return k_types.count(s) != 0;
}

// Identifiers followed by a parenthesised argument that belong to a declaration's specifiers, not
// to its declarator: `__global__ void __launch_bounds__(256) k(...)`.
bool is_specifier_call(std::string_view s) {
    static const auto k_calls = name_set(
        "__launch_bounds__ __align__ alignas decltype __cluster_dims__ __maxnreg__ noexcept throw "
        "sizeof alignof __builtin_align__ requires static_assert __declspec __attribute__");
    return k_calls.count(s) != 0;
}

// Headers a kernel and its launch code may include with <>: CUDA's device and runtime headers
// and the standard library's computational ones. Not <cuda.h> (the driver API can record events
// and switch contexts), nor <fstream>, <thread>, <future>, <filesystem>, <csignal>, <unistd.h>...
bool is_allowed_header(std::string_view header) {
    static const auto k_headers = name_set(
        "cuda_runtime.h cuda_runtime_api.h cuda_fp16.h cuda_fp16.hpp cuda_bf16.h cuda_bf16.hpp "
        "cuda_fp8.h cuda_fp8.hpp cuda_fp6.h cuda_fp4.h cooperative_groups.h mma.h cuda_pipeline.h "
        "cuda_pipeline_primitives.h cuda_awbarrier.h cuda_awbarrier_primitives.h cuComplex.h "
        "math_constants.h device_launch_parameters.h vector_types.h vector_functions.h "
        "device_functions.h curand_kernel.h cuda_occupancy.h sm_60_atomic_functions.h "
        "sm_61_intrinsics.h algorithm array atomic bit bitset cassert cfloat cinttypes climits "
        "cmath complex concepts cstddef cstdint cstdio cstdlib cstring functional "
        "initializer_list iostream iterator limits memory new numbers numeric optional ostream "
        "ratio span sstream stdexcept string string_view tuple type_traits utility variant vector "
        "assert.h float.h inttypes.h limits.h math.h stdbool.h stddef.h stdint.h stdio.h stdlib.h "
        "string.h");
    if (k_headers.count(header) != 0) return true;
    for (std::string_view prefix : name_set("cooperative_groups/ cuda/ cub/ thrust/"))
        if (starts_with(header, prefix) && header.find("..") == std::string_view::npos) return true;
    return false;
}

// The reason an identifier is refused wherever it appears, or nullptr. The names are those of
// functions and types that write files, start processes or threads, hook the exit, load code,
// remap memory, or reach the CUDA events and streams the harness times with.
const char* refused_name(std::string_view name) {
    static const std::map<std::string_view, const char*> k_names = [] {
        std::map<std::string_view, const char*> names;
        for (std::string_view n : name_set(
                 "fopen fopen64 freopen freopen64 fdopen fwrite fputs fprintf vfprintf dprintf "
                 "vdprintf open open64 openat openat64 creat creat64 write pwrite pwrite64 writev "
                 "pwritev pwritev2 sendfile splice tmpfile tmpfile64 mkstemp mkostemp ftruncate "
                 "rename renameat unlink unlinkat symlink symlinkat linkat chdir fchdir chroot "
                 "chmod fchmod mkdir ofstream ifstream fstream filebuf basic_ofstream "
                 "basic_ifstream basic_fstream basic_filebuf filesystem ioctl fcntl dup dup2 dup3 "
                 "pipe2 memfd_create socket socketpair connect sendto sendmsg syscall"))
            names[n] = k_no_io;
        for (std::string_view n : name_set(
                 "system popen posix_spawn posix_spawnp fork vfork clone clone3 execl execlp "
                 "execle execv execvp execvpe execve execveat fexecve kill killpg tgkill tkill "
                 "raise ptrace prctl exit _exit _Exit quick_exit atexit at_quick_exit on_exit "
                 "signal sigaction sigqueue alarm setitimer timer_create jthread thrd_create "
                 "getenv secure_getenv setenv putenv unsetenv clearenv environ __environ "
                 "thread_local __thread _Thread_local setjmp longjmp _setjmp _longjmp sigsetjmp "
                 "siglongjmp __builtin_setjmp __builtin_longjmp __builtin_frame_address "
                 "__builtin_return_address __builtin_extract_return_addr __builtin_apply "
                 "__builtin_apply_args"))
            names[n] = k_no_process;
        for (std::string_view n : name_set("dlopen dlmopen dlsym dlvsym dladdr dlinfo dlclose "
                                           "mmap mmap64 mremap munmap mprotect pkey_mprotect "
                                           "process_vm_writev process_vm_readv"))
            names[n] = k_no_loading;
        for (std::string_view n :
             name_set("cudaStreamNonBlocking cudaStreamPerThread cudaStreamWaitEvent "
                      "cudaLaunchHostFunc cudaStreamAddCallback cudaDeviceReset cudaThreadExit "
                      "cudaDeviceSetLimit cudaThreadSetLimit cudaGetSymbolAddress "
                      "cudaHostRegister cudaMallocManaged cudaSetValidDevices"))
            names[n] = k_no_timing;
        // What would let code the scan cannot see run, or attach itself to the program.
        for (std::string_view n : name_set("_Pragma __pragma")) names[n] = k_unreadable;
        for (std::string_view n :
             name_set("__attribute__ __attribute __declspec __location__ __annotate__"))
            names[n] = k_no_attributes;
        return names;
    }();
    if (auto it = k_names.find(name); it != k_names.end()) return it->second;
    static const auto k_cuda_prefixes = name_set(
        "cudaEvent cudaStreamCreate cudaGraph cudaProfiler cudaMemcpyToSymbol "
        "cudaMemcpyFromSymbol cudaIpc cudaUserObject cudaGetDriverEntryPoint "
        "cudaStreamBeginCapture cudaStreamEndCapture cudaSetDevice cudaImportExternal "
        "cudaSignalExternal cudaWaitExternal");
    for (std::string_view prefix : k_cuda_prefixes)
        if (starts_with(name, prefix)) return k_no_timing;
    // The driver API (cuEventRecord, cuCtxSynchronize, ...) by its shape; cuComplex.h's names stay.
    const bool complex_arithmetic =
        (starts_with(name, "cuC") && !starts_with(name, "cuCtx") &&
         !starts_with(name, "cuCoredump") && !starts_with(name, "cuCheckpoint")) ||
        name == "cuFloatComplex" || name == "cuDoubleComplex";
    if (name.size() > 2 && name[0] == 'c' && name[1] == 'u' && name[2] >= 'A' && name[2] <= 'Z' &&
        !complex_arithmetic)
        return k_no_timing;
    if (starts_with(name, "pthread_")) return k_no_process;
    if (starts_with(name, "__cxa_") || starts_with(name, "__libc_")) return k_no_process;
    return nullptr;
}

// Functions the candidate may not define (or declare) at namespace scope: a definition with the
// name of a C library or CUDA runtime function the harness calls would take its place in the
// linked program (fclose, memcmp, cudaEventElapsedTime, the registration hooks nvcc emits...).
bool is_interposing_name(std::string_view name) {
    static const auto k_names = name_set(
        "main memcmp memcpy memmove memset malloc free calloc realloc aligned_alloc "
        "posix_memalign printf vprintf puts putchar fputc putc fflush fclose scanf sscanf fscanf "
        "strlen strcmp abort qsort ldexp ldexpf");
    if (k_names.count(name) != 0) return true;
    if (starts_with(name, "operator new") || starts_with(name, "operator delete")) return true;
    for (std::string_view prefix :
         name_set("cuda __cuda __nv __cxa __gxx _Unwind __libc nvtx nvrtc nvml"))
        if (starts_with(name, prefix)) return true;
    if (name.size() > 2 && name[0] == 'c' && name[1] == 'u' && name[2] >= 'A' && name[2] <= 'Z')
        return true;
    if (name.size() > 2 && name[0] == 'n' && name[1] == 'v' && name[2] >= 'A' && name[2] <= 'Z')
        return true;
    return false;
}

// Namespaces a candidate may not reopen: adding to them could specialise or replace what the
// harness instantiates from the same headers.
bool is_foreign_namespace(std::string_view name) {
    static const auto k_names = name_set("std cuda cub thrust nvcuda cooperative_groups");
    return k_names.count(name) != 0 || starts_with(name, "__") ||
           (name.size() > 1 && name[0] == '_' && name[1] >= 'A' && name[1] <= 'Z');
}

// Reserved identifiers in upper case (_X..., __X...) are the toolchain's macros, which the check
// does not expand: one of them could hide `static` or an attribute. These few say nothing.
bool is_reserved_macro_name(std::string_view name) {
    if (name.size() < 2 || name[0] != '_') return false;
    const bool reserved = (name[1] >= 'A' && name[1] <= 'Z') ||
                          (name[1] == '_' && name.size() > 2 && name[2] >= 'A' && name[2] <= 'Z');
    if (!reserved) return false;
    static const auto k_harmless =
        name_set("__FILE__ __LINE__ __PRETTY_FUNCTION__ __FUNCTION__ __CUDA_ARCH__ __CUDACC__");
    return k_harmless.count(name) == 0;
}

// The allowed headers' own macros are not expanded by the check. These expand to `static`,
// `__host__` or attributes (QUALIFIERS is curand's `static __forceinline__ __device__`,
// CUB_RUNTIME_FUNCTION is `__host__ __device__`), so in a declaration they would hide exactly what
// the check looks for; the list comes from reading those headers. The libraries' functions and
// types (cub::, thrust::, curand_*) stay usable.
bool is_hiding_library_macro(std::string_view name) {
    for (std::string_view prefix : name_set("CUB_ THRUST_ CCCL_ LIBCUDACXX_ NVTX CURAND_ "
                                            "MAKE_UNARY_COMPOSITE MAKE_BINARY_COMPOSITE"))
        if (starts_with(name, prefix)) return true;
    return name == "QUALIFIERS" || name == "QUALIFIERS_STATIC" || name == "CUDART_DEVICE";
}

// A type a run-time initialiser may give a persistent constant: at most 32 bits, so it cannot
// carry an address (a memo of where an earlier call left its result).
bool is_narrow_scalar_word(std::string_view s) {
    static const auto k_words = name_set(
        "bool char signed unsigned short int float char8_t char16_t char32_t wchar_t int8_t "
        "uint8_t int16_t uint16_t int32_t uint32_t cudaError_t std :: const static inline "
        "__device__ __host__");
    return k_words.count(s) != 0;
}

class Checker {
  public:
    Checker(const std::vector<core::SourceFile>& candidate,
            const std::vector<core::SourceFile>& harness)
        : m_candidate(candidate) {
        for (const auto& file : harness) m_harness_names.insert(file.path);
    }

    core::Result<void> run() {
        for (const auto& file : m_candidate) {
            if (!check_file_name(file.path)) return failure();
        }
        for (const auto& file : m_candidate) {
            if (!ends_with(file.path, ".cu"))
                continue;  // headers are checked where they are included
            if (!check_translation_unit(file)) return failure();
        }
        return {};
    }

  private:
    const std::vector<core::SourceFile>& m_candidate;
    std::set<std::string> m_harness_names;
    std::optional<Refusal> m_refusal;
    std::vector<std::string> m_files;  // names of the files read for the current translation unit

    core::Result<void> failure() const {
        return core::fail(core::Error::input(m_refusal->message));
    }

    bool refuse_at(int file, int line, const std::string& what, const std::string& why) {
        if (!m_refusal) {
            const std::string where = file >= 0 && file < static_cast<int>(m_files.size())
                                          ? m_files[file]
                                          : std::string("?");
            m_refusal = Refusal{where + ":" + std::to_string(line) + ": " + what +
                                " is not allowed in a kernel task's candidate (" + why + ")"};
        }
        return false;
    }
    bool refuse(const Token& at, const std::string& what, const std::string& why) {
        return refuse_at(at.file, at.line, what, why);
    }
    static std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

    bool check_file_name(const std::string& path) {
        m_files = {path};
        const bool plain =
            !path.empty() && path.find('/') == std::string::npos &&
            path.find('\\') == std::string::npos &&
            std::all_of(path.begin(), path.end(), [](char c) {
                return is_ident_char(static_cast<unsigned char>(c)) || c == '.' || c == '-';
            });
        if (!plain || !(ends_with(path, ".cu") || ends_with(path, ".cuh")))
            return refuse_at(
                0, 1, "a file named " + quoted(path),
                "a candidate's files are .cu and .cuh files beside kernel.cu: the build searches "
                "their folder for "
                "<headers>, so a file of another name could stand in for one the harness includes");
        if (m_harness_names.count(path) != 0)
            return refuse_at(0, 1, "a file named " + quoted(path),
                             "the harness has a file of that name");
        return true;
    }

    // ---- lexing -------------------------------------------------------------------------------

    struct Spliced {
        std::string text;
        std::vector<int> lines;  // the source line of each character
    };

    // Translation phase 2 as GCC does it (a backslash, blanks, then a newline), so that an
    // identifier split across lines is read whole.
    static Spliced splice(std::string_view source) {
        Spliced s;
        s.text.reserve(source.size());
        s.lines.reserve(source.size());
        int line = 1;
        for (std::size_t i = 0; i < source.size(); ++i) {
            const char c = source[i];
            if (c == '\\') {
                std::size_t j = i + 1;
                while (j < source.size() && (source[j] == ' ' || source[j] == '\t')) ++j;
                if (j + 1 < source.size() && source[j] == '\r' && source[j + 1] == '\n') ++j;
                if (j < source.size() && source[j] == '\n') {
                    ++line;
                    i = j;
                    continue;
                }
            }
            s.text += c;
            s.lines.push_back(line);
            if (c == '\n') ++line;
        }
        return s;
    }

    bool lex(const std::string& source, int file, std::vector<Token>& out) {
        // Trigraphs (??/ is a backslash in some language modes) would let a literal end where the
        // check does not see it end.
        for (std::size_t i = 0; i + 2 < source.size(); ++i)
            if (source[i] == '?' && source[i + 1] == '?' &&
                std::string_view("=/'()!<>-").find(source[i + 2]) != std::string_view::npos) {
                const int line =
                    1 + static_cast<int>(std::count(
                            source.begin(), source.begin() + static_cast<std::ptrdiff_t>(i), '\n'));
                return refuse_at(file, line, "the trigraph " + quoted(source.substr(i, 3)),
                                 k_unreadable);
            }
        // A UTF-8 byte order mark is no part of the program (GCC skips it too).
        const std::string_view bom = "\xEF\xBB\xBF";
        const Spliced s =
            splice(starts_with(source, bom) ? std::string_view(source).substr(bom.size())
                                            : std::string_view(source));
        const std::string& text = s.text;
        const std::size_t n = text.size();
        std::size_t i = 0;
        bool line_start = true;
        bool space = true;
        std::shared_ptr<Directive> directive;
        Token directive_token;
        bool want_name = false;
        auto finish_directive = [&] {
            if (!directive) return;
            directive_token.directive = directive;
            directive_token.text = directive->name;
            out.push_back(directive_token);
            directive.reset();
            want_name = false;
        };
        while (i < n) {
            const char c = text[i];
            if (c == '\n') {
                finish_directive();
                line_start = true;
                space = true;
                ++i;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
                space = true;
                ++i;
                continue;
            }
            if (text.compare(i, 2, "//") == 0) {
                while (i < n && text[i] != '\n') ++i;
                continue;
            }
            if (text.compare(i, 2, "/*") == 0) {
                const std::size_t end = text.find("*/", i + 2);
                if (end == std::string::npos)
                    return refuse_at(file, s.lines[i], "an unterminated comment", k_unreadable);
                // A comment that spans lines leaves no line start behind it: a '#' after it is not
                // a directive to the check (and a stray '#' to the compiler).
                if (text.find('\n', i) < end) line_start = false;
                i = end + 2;
                space = true;
                continue;
            }
            Token t;
            t.file = file;
            t.line = s.lines[i];
            t.space_before = space;
            space = false;
            if (c == '#' && line_start && !directive && !(i + 1 < n && text[i + 1] == '#')) {
                directive = std::make_shared<Directive>();
                directive_token = t;
                directive_token.kind = TokenKind::directive;
                want_name = true;
                line_start = false;
                ++i;
                continue;
            }
            line_start = false;
            if (want_name && directive && (directive->name.empty()) &&
                is_ident_start(static_cast<unsigned char>(c))) {
                std::size_t j = i;
                while (j < n && is_ident_char(static_cast<unsigned char>(text[j]))) ++j;
                directive->name = text.substr(i, j - i);
                want_name = false;
                i = j;
                if (directive->name == "include" || directive->name == "include_next" ||
                    directive->name == "import") {
                    while (i < n && (text[i] == ' ' || text[i] == '\t')) ++i;
                    const char open = i < n ? text[i] : '\n';
                    const char close = open == '<' ? '>' : open == '"' ? '"' : '\0';
                    if (close == '\0')
                        return refuse_at(file, t.line, "an #include of a macro", k_unreadable);
                    const std::size_t end = text.find(close, i + 1);
                    if (end == std::string::npos || text.find('\n', i) < end)
                        return refuse_at(file, t.line, "an unterminated #include", k_unreadable);
                    directive->header = text.substr(i + 1, end - i - 1);
                    directive->angled = open == '<';
                    i = end + 1;
                }
                continue;
            }
            want_name = false;
            if (!lex_token(text, s.lines, i, t)) return false;
            if (directive)
                directive->tokens.push_back(std::move(t));
            else
                out.push_back(std::move(t));
        }
        finish_directive();
        return true;
    }

    // One token at text[i]; i moves past it.
    bool lex_token(const std::string& text, const std::vector<int>& lines, std::size_t& i,
                   Token& t) {
        const std::size_t n = text.size();
        const auto c = static_cast<unsigned char>(text[i]);
        if (is_ident_start(c)) {
            std::size_t j = i;
            while (j < n && is_ident_char(static_cast<unsigned char>(text[j]))) ++j;
            const std::string word = text.substr(i, j - i);
            if (j < n && (text[j] == '"' || text[j] == '\'')) {
                if (word == "R" || word == "u8R" || word == "uR" || word == "UR" || word == "LR")
                    return refuse(t, "a raw string literal", k_unreadable);
                if (word == "u8" || word == "u" || word == "U" || word == "L")
                    return lex_literal(text, lines, i, j, t);
            }
            t.kind = TokenKind::identifier;
            t.text = word;
            i = j;
            return true;
        }
        if (is_digit(c) ||
            (c == '.' && i + 1 < n && is_digit(static_cast<unsigned char>(text[i + 1])))) {
            // A pp-number, digit separators included: 1'000'000 is one token, not a character
            // literal.
            std::size_t j = i + 1;
            while (j < n) {
                const auto d = static_cast<unsigned char>(text[j]);
                if ((d == '+' || d == '-') && (text[j - 1] == 'e' || text[j - 1] == 'E' ||
                                               text[j - 1] == 'p' || text[j - 1] == 'P')) {
                    ++j;
                } else if (d == '\'' && j + 1 < n &&
                           is_ident_char(static_cast<unsigned char>(text[j + 1]))) {
                    j += 2;
                } else if (is_ident_char(d) || d == '.') {
                    ++j;
                } else {
                    break;
                }
            }
            t.kind = TokenKind::number;
            t.text = text.substr(i, j - i);
            i = j;
            return true;
        }
        if (c == '"' || c == '\'') return lex_literal(text, lines, i, i, t);
        if (c == '\\') return refuse(t, "a backslash outside a literal", k_unreadable);
        // Digraphs: %: and %:%: are # and ##, which the check must see as such.
        const std::string_view rest(text.data() + i, std::min<std::size_t>(4, n - i));
        const bool angle_colon_colon =
            starts_with(rest, "<::") && !(rest.size() > 3 && (rest[3] == ':' || rest[3] == '>'));
        for (std::string_view digraph : {"<%", "%>", "%:", ":>", "<:"})
            if (starts_with(rest, digraph) && !(digraph == "<:" && angle_colon_colon))
                return refuse(t, "the digraph " + quoted(digraph), k_unreadable);
        static constexpr std::array<std::string_view, 21> k_punctuators = {
            "...", "::", "->", "##", "++", "--", "==", "!=", "<=", ">=", "&&",
            "||",  "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", ".*"};
        t.kind = TokenKind::punctuator;
        for (std::string_view p : k_punctuators) {
            if (starts_with(rest, p)) {
                t.text = std::string(p);
                i += p.size();
                return true;
            }
        }
        t.text = std::string(1, static_cast<char>(c));
        ++i;
        return true;
    }

    bool lex_literal(const std::string& text, const std::vector<int>& lines, std::size_t& i,
                     std::size_t quote_at, Token& t) {
        const std::size_t n = text.size();
        const char quote = text[quote_at];
        std::size_t j = quote_at + 1;
        while (j < n && text[j] != quote) {
            if (text[j] == '\n') break;
            j += text[j] == '\\' ? 2 : 1;
        }
        if (j >= n || text[j] != quote)
            return refuse_at(t.file, lines[i], "an unterminated literal", k_unreadable);
        ++j;
        while (j < n && is_ident_char(static_cast<unsigned char>(text[j])))
            ++j;  // a user-defined literal's suffix
        t.kind = TokenKind::literal;
        t.text = text.substr(i, j - i);
        i = j;
        return true;
    }

    // ---- preprocessing ------------------------------------------------------------------------

    struct Condition {
        const Token* at =
            nullptr;        // the #if, for a missing #endif's message (lives in m_directives)
        std::string guard;  // #ifndef NAME: the include guard it may open
        bool fresh = true;  // nothing has come since the #ifndef
        bool guard_defined =
            false;  // the guard's #define came right after: the group is the whole header
    };

    std::map<std::string, Macro> m_macros;
    std::set<std::string> m_ever_defined;
    std::vector<Condition> m_conditions;
    std::deque<Token> m_directives;  // every #if read, kept for messages (a deque: no reallocation)
    std::set<std::string> m_included;
    int m_expansions = 0;
    std::string m_first_macro;  // the first macro defined, include guards aside

    const core::SourceFile* candidate_file(const std::string& name) const {
        for (const auto& file : m_candidate)
            if (file.path == name) return &file;
        return nullptr;
    }

    bool check_translation_unit(const core::SourceFile& file) {
        m_files = {file.path};
        m_macros.clear();
        m_ever_defined.clear();
        m_conditions.clear();
        m_directives.clear();
        m_included = {file.path};
        m_expansions = 0;
        m_first_macro.clear();
        std::vector<Token> tokens;
        if (!lex(file.content, 0, tokens)) return false;
        std::vector<Token> expanded;
        if (!preprocess(std::move(tokens), 0, expanded)) return false;
        for (const auto& [name, macro] : m_macros)
            for (const Token& t : macro.body)
                if (!check_macro_body_token(t)) return false;
        return scan(expanded);
    }

    void touch_condition() {
        if (!m_conditions.empty()) m_conditions.back().fresh = false;
    }

    // Expands `tokens` (a whole file: directives included) into `out`.
    bool preprocess(std::vector<Token> tokens, int depth, std::vector<Token>& out) {
        std::vector<Token> stack(std::make_move_iterator(tokens.rbegin()),
                                 std::make_move_iterator(tokens.rend()));
        const std::size_t conditions_at_start =
            m_conditions.size();  // a file closes every #if it opens
        while (!stack.empty()) {
            Token t = std::move(stack.back());
            stack.pop_back();
            if (t.kind == TokenKind::directive) {
                if (!directive(t, depth, out)) return false;
                continue;
            }
            touch_condition();
            if (!expand_one(t, stack, out)) return false;
        }
        if (m_conditions.size() != conditions_at_start)
            return refuse(*m_conditions.back().at, "an #if without its #endif", k_unreadable);
        return true;
    }

    // `t` is the next token of `stack`'s stream: a macro name is replaced on the stack (to be read
    // again), anything else goes to `out`.
    bool expand_one(Token& t, std::vector<Token>& stack, std::vector<Token>& out) {
        const auto found = t.kind == TokenKind::identifier ? m_macros.find(t.text) : m_macros.end();
        if (found == m_macros.end() || (t.hidden && t.hidden->count(t.text) != 0)) {
            out.push_back(std::move(t));
            return true;
        }
        const Macro& macro = found->second;
        if (++m_expansions > k_max_expansions)
            return refuse(t, "macro expansion this deep", k_unreadable);
        auto hidden =
            std::make_shared<std::set<std::string>>(t.hidden ? *t.hidden : std::set<std::string>{});
        hidden->insert(t.text);
        std::vector<Token> replacement;
        if (!macro.function_like) {
            replacement = macro.body;
        } else {
            if (!stack.empty() && stack.back().kind == TokenKind::directive)
                return refuse(
                    t, "a directive between the macro " + quoted(t.text) + " and its arguments",
                    k_unreadable);
            if (stack.empty() || stack.back().kind != TokenKind::punctuator ||
                stack.back().text != "(") {
                out.push_back(
                    std::move(t));  // a function-like macro's name without arguments is just a name
                return true;
            }
            stack.pop_back();
            std::vector<std::vector<Token>> arguments(1);
            int nesting = 0;
            while (true) {
                if (stack.empty())
                    return refuse(t, "an unterminated call of the macro " + quoted(t.text),
                                  k_unreadable);
                Token a = std::move(stack.back());
                stack.pop_back();
                if (a.kind == TokenKind::directive)
                    return refuse(a, "a directive inside a macro's arguments", k_unreadable);
                if (a.kind == TokenKind::punctuator && a.text == ")" && nesting == 0) break;
                if (a.kind == TokenKind::punctuator && (a.text == "(")) ++nesting;
                if (a.kind == TokenKind::punctuator && (a.text == ")")) --nesting;
                if (a.kind == TokenKind::punctuator && a.text == "," && nesting == 0 &&
                    !(macro.variadic && arguments.size() > macro.parameters.size())) {
                    arguments.emplace_back();
                    continue;
                }
                arguments.back().push_back(std::move(a));
            }
            const std::size_t named = macro.parameters.size();
            const bool no_arguments = arguments.size() == 1 && arguments[0].empty();
            if (!(arguments.size() == named + (macro.variadic ? 1 : 0) ||
                  (no_arguments && named == 0) || (macro.variadic && arguments.size() == named)))
                return refuse(
                    t,
                    "a call of the macro " + quoted(t.text) + " with the wrong number of arguments",
                    k_unreadable);
            // Each argument is expanded on its own before it is substituted, as the standard says.
            std::vector<std::vector<Token>> expanded(arguments.size());
            for (std::size_t a = 0; a < arguments.size(); ++a) {
                std::vector<Token> argument_stack(std::make_move_iterator(arguments[a].rbegin()),
                                                  std::make_move_iterator(arguments[a].rend()));
                while (!argument_stack.empty()) {
                    Token x = std::move(argument_stack.back());
                    argument_stack.pop_back();
                    if (!expand_one(x, argument_stack, expanded[a])) return false;
                }
            }
            for (const Token& b : macro.body) {
                const auto p = std::find(macro.parameters.begin(), macro.parameters.end(), b.text);
                if (b.kind == TokenKind::identifier && p != macro.parameters.end()) {
                    const auto index = static_cast<std::size_t>(p - macro.parameters.begin());
                    if (index < expanded.size())
                        replacement.insert(replacement.end(), expanded[index].begin(),
                                           expanded[index].end());
                } else if (b.kind == TokenKind::identifier && b.text == "__VA_ARGS__" &&
                           macro.variadic) {
                    if (named < expanded.size())
                        replacement.insert(replacement.end(), expanded[named].begin(),
                                           expanded[named].end());
                } else {
                    replacement.push_back(b);
                }
            }
        }
        for (auto it = replacement.rbegin(); it != replacement.rend(); ++it) {
            Token r = *it;
            r.file = t.file;
            r.line = t.line;
            auto merged = std::make_shared<std::set<std::string>>(*hidden);
            if (r.hidden) merged->insert(r.hidden->begin(), r.hidden->end());
            r.hidden = std::move(merged);
            stack.push_back(std::move(r));
        }
        return true;
    }

    bool directive(const Token& t, int depth, std::vector<Token>& out) {
        const Directive& d = *t.directive;
        const std::string& name = d.name;
        const bool conditional = name == "if" || name == "ifdef" || name == "ifndef" ||
                                 name == "elif" || name == "else" || name == "endif" ||
                                 name == "elifdef" || name == "elifndef";
        if (conditional) {
            if (name == "if" || name == "ifdef" || name == "ifndef") {
                touch_condition();
                Condition c;
                m_directives.push_back(t);
                c.at = &m_directives.back();
                if (name == "ifndef" && d.tokens.size() == 1 &&
                    d.tokens[0].kind == TokenKind::identifier)
                    c.guard = d.tokens[0].text;
                m_conditions.push_back(c);
            } else {
                if (m_conditions.empty())
                    return refuse(t, "#" + name + " without its #if", k_unreadable);
                if (name == "endif")
                    m_conditions.pop_back();
                else
                    m_conditions.back() = Condition{m_conditions.back().at, "", false, false};
            }
            out.push_back(t);  // the scan checks where each branch starts and ends
            return true;
        }
        if (name == "define") {
            const bool ok = define(t, d);
            touch_condition();
            return ok;
        }
        touch_condition();
        if ((name.empty() && d.tokens.empty()) || name == "error" || name == "warning") return true;
        if (name.empty()) return refuse(t, "a line marker", k_unreadable);
        if (name == "pragma") {
            static const auto k_pragmas = name_set(
                "once unroll nounroll nv_diag_suppress nv_diag_default nv_diag_warning "
                "nv_diag_error nv_diagnostic diag_suppress diag_default diag_warning");
            if (!d.tokens.empty() && d.tokens[0].kind == TokenKind::identifier &&
                k_pragmas.count(d.tokens[0].text) != 0)
                return true;
            return refuse(t, "#pragma " + (d.tokens.empty() ? std::string() : d.tokens[0].text),
                          "only #pragma once, unroll and diagnostic pragmas: others change linkage "
                          "or code generation");
        }
        if (name == "include") return include(t, d, depth, out);
        if (name == "undef")
            return refuse(t, "#undef",
                          "a macro has one definition for the whole file, so the check expands it "
                          "as the compiler will");
        return refuse(t, "#" + name, k_unreadable);
    }

    bool define(const Token& t, const Directive& d) {
        if (d.tokens.empty() || d.tokens[0].kind != TokenKind::identifier)
            return refuse(t, "#define without a name", k_unreadable);
        const Token& name = d.tokens[0];
        if (is_keyword(name.text) || is_reserved_macro_name(name.text) ||
            starts_with(name.text, "__"))
            return refuse(name, "#define " + name.text,
                          "a macro may not redefine a keyword or a reserved name");
        if (m_ever_defined.count(name.text) != 0)
            return refuse(
                name, "a second #define of " + quoted(name.text),
                "a macro has one definition, so the check expands it as the compiler will");
        Macro macro;
        std::size_t i = 1;
        if (i < d.tokens.size() && d.tokens[i].text == "(" && !d.tokens[i].space_before) {
            macro.function_like = true;
            ++i;
            while (i < d.tokens.size() && d.tokens[i].text != ")") {
                if (d.tokens[i].kind == TokenKind::identifier) {
                    macro.parameters.push_back(d.tokens[i].text);
                } else if (d.tokens[i].text == "...") {
                    macro.variadic = true;
                } else if (d.tokens[i].text != ",") {
                    return refuse(d.tokens[i], "a macro parameter " + quoted(d.tokens[i].text),
                                  k_unreadable);
                }
                ++i;
            }
            if (i >= d.tokens.size())
                return refuse(name, "an unterminated macro parameter list", k_unreadable);
            ++i;
        }
        macro.body.assign(d.tokens.begin() + static_cast<std::ptrdiff_t>(i), d.tokens.end());
        for (const Token& b : macro.body) {
            if (b.text == "#" || b.text == "##")
                return refuse(
                    b, quoted(b.text) + " in a macro",
                    "stringizing and token pasting build names and text the check cannot see");
            if (b.kind == TokenKind::identifier && b.text == "__VA_OPT__")
                return refuse(b, "__VA_OPT__", k_unreadable);
        }
        // A macro defined in a conditional group may or may not exist for the compiler; only the
        // include guard of a header (#ifndef G / #define G first thing) is certain.
        const bool guard = !m_conditions.empty() && m_conditions.back().fresh &&
                           m_conditions.back().guard == name.text && !macro.function_like &&
                           macro.body.empty();
        if (guard) {
            m_conditions.back().guard_defined = true;
        } else if (std::any_of(m_conditions.begin(), m_conditions.end(),
                               [](const Condition& c) { return !c.guard_defined; })) {
            return refuse(name, "#define " + name.text + " inside #if",
                          "a macro must exist whichever way the condition goes");
        }
        m_ever_defined.insert(name.text);
        m_macros[name.text] = std::move(macro);
        if (!guard && m_first_macro.empty()) m_first_macro = name.text;
        return true;
    }

    bool include(const Token& t, const Directive& d, int depth, std::vector<Token>& out) {
        // A macro in force while a header is read could change an inline function or template
        // the harness compiles from the same header, and the linker keeps one of the two.
        if ((d.angled || m_harness_names.count(d.header) != 0) && !m_first_macro.empty())
            return refuse(t, "#include after #define " + m_first_macro,
                          "a macro could change the code of a header the harness shares: #include "
                          "first, then #define");
        if (d.angled) {
            if (!is_allowed_header(d.header))
                return refuse(t, "#include <" + d.header + ">",
                              "a candidate includes CUDA's device and runtime headers and the "
                              "standard library's computational ones");
            out.push_back(t);
            return true;
        }
        if (m_harness_names.count(d.header) != 0) {
            out.push_back(t);
            return true;
        }
        const core::SourceFile* file = candidate_file(d.header);
        if (!file)
            return refuse(
                t, "#include \"" + d.header + "\"",
                "quotes name the harness's files and the candidate's own; system headers go in <>");
        if (m_included.count(d.header) != 0)
            return true;  // #pragma once or a guard: the second inclusion is empty
        if (depth + 1 > k_max_include_depth) return refuse(t, "#include this deep", k_unreadable);
        m_included.insert(d.header);
        m_files.push_back(d.header);
        std::vector<Token> tokens;
        if (!lex(file->content, static_cast<int>(m_files.size()) - 1, tokens)) return false;
        return preprocess(std::move(tokens), depth + 1, out);
    }

    // A macro's body, used or not, may not name what the candidate may not name.
    bool check_macro_body_token(const Token& t) {
        if (t.kind != TokenKind::identifier) return true;
        if (const char* why = refused_name(t.text)) return refuse(t, quoted(t.text), why);
        return true;
    }

    // ---- the structure ------------------------------------------------------------------------

    enum class ScopeKind { namespace_body, class_body, function_body, block, initializer };
    enum class Space { none, host, device };  // where a function body's code runs

    struct Scope {
        ScopeKind kind = ScopeKind::namespace_body;
        Space space = Space::none;
        std::vector<Token> declaration;  // namespace and class bodies: the declaration being read
        int owner = -1;                  // the scope whose declaration this initializer belongs to
        int parens = 0;                  // ( and [ open in this scope
    };

    std::vector<Scope> m_scopes;
    std::vector<std::size_t> m_branch_depths;  // the scope depth at each open #if
    std::set<std::size_t> m_class_braces;      // token indices of '{' that open a local class body
    std::set<std::string> m_class_names;       // classes the candidate defines
    bool m_at_boundary = true;                 // the last token ended a statement (function bodies)
    const std::vector<Token>* m_tokens = nullptr;

    const Token* at(std::size_t i) const {
        return i < m_tokens->size() ? &(*m_tokens)[i] : nullptr;
    }
    bool is(std::size_t i, std::string_view text) const {
        const Token* t = at(i);
        return t && t->kind != TokenKind::literal && t->kind != TokenKind::directive &&
               t->text == text;
    }

    Space innermost_space() const { return m_scopes.back().space; }

    bool scan(const std::vector<Token>& tokens) {
        m_tokens = &tokens;
        m_scopes = {Scope{}};
        m_branch_depths.clear();
        m_class_braces.clear();
        m_class_names.clear();
        m_at_boundary = true;
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            const Token& t = tokens[i];
            if (t.kind == TokenKind::directive) {
                if (!marker(t)) return false;
                continue;
            }
            if (!check_token(i)) return false;
            Scope& scope = m_scopes.back();
            if (scope.kind == ScopeKind::namespace_body || scope.kind == ScopeKind::class_body) {
                if (!declaration_token(i)) return false;
            } else {
                if (!code_token(i)) return false;
            }
        }
        if (m_scopes.size() != 1)
            return refuse_at(0, tokens.empty() ? 1 : tokens.back().line, "a '{' without its '}'",
                             k_unreadable);
        if (!m_scopes.back().declaration.empty()) return analyze_declaration(0);
        return true;
    }

    bool at_boundary() const {
        const Scope& s = m_scopes.back();
        if (s.kind == ScopeKind::namespace_body || s.kind == ScopeKind::class_body)
            return s.declaration.empty() && s.parens == 0;
        return s.parens == 0 && m_at_boundary;
    }

    // A conditional group (or a harness include) must start and end between statements, with the
    // braces balanced, so that each branch is a run of whole declarations the scan reads on its
    // own.
    bool marker(const Token& t) {
        const std::string& name = t.text;
        if (!at_boundary())
            return refuse(t, "#" + name + " in the middle of a declaration or statement",
                          "each branch of a conditional must hold whole declarations, or the check "
                          "cannot tell which the compiler sees");
        if (name == "if" || name == "ifdef" || name == "ifndef") {
            m_branch_depths.push_back(m_scopes.size());
        } else if (name == "elif" || name == "else" || name == "endif" || name == "elifdef" ||
                   name == "elifndef") {
            if (m_branch_depths.empty())
                return refuse(t, "#" + name + " without its #if", k_unreadable);
            if (m_branch_depths.back() != m_scopes.size())
                return refuse(t, "a conditional branch whose braces do not balance", k_unreadable);
            if (name == "endif") m_branch_depths.pop_back();
        }
        return true;
    }

    // What is refused wherever it stands.
    bool check_token(std::size_t i) {
        const Token& t = (*m_tokens)[i];
        if (t.kind == TokenKind::punctuator) {
            if (t.text == "#" || t.text == "##")
                return refuse(t, quoted(t.text) + " outside a directive", k_unreadable);
            if (t.text == "[" && is(i + 1, "[")) return check_attribute(i);
            return true;
        }
        if (t.kind != TokenKind::identifier) return true;
        const std::string& s = t.text;
        if (const char* why = refused_name(s)) return refuse(t, quoted(s), why);
        if (is_reserved_macro_name(s) || is_hiding_library_macro(s))
            return refuse(t, quoted(s),
                          "the toolchain's own macros could hide what the check looks for");
        if (s == "asm" || s == "__asm__" || s == "__asm") {
            if (innermost_space() != Space::device)
                return refuse(t, quoted(s) + " outside a __device__ or __global__ function",
                              "inline assembly on the host can do anything the process can; PTX "
                              "inside a kernel stays on the device");
            return true;
        }
        if (s == "extern" && !is(i + 1, "__shared__"))
            return refuse(t, quoted("extern"),
                          "a candidate declares nothing defined elsewhere except dynamic shared "
                          "memory (extern __shared__)");
        if (s == "mutable" && !(i > 0 && (is(i - 1, ")") || is(i - 1, "]"))))
            return refuse(t, quoted("mutable") + " (a member that stays writable in a constant)",
                          k_no_state);
        // std::thread and std::async as types and calls; a variable named `thread` is fine.
        const bool qualified = i > 0 && is(i - 1, "::");
        if (s == "thread") {
            const Token* next = at(i + 1);
            if (qualified || (next && (next->kind == TokenKind::identifier || next->text == "(" ||
                                       next->text == "{")))
                return refuse(t, quoted("std::thread"), k_no_process);
        }
        if (s == "async" && (qualified || is(i + 1, "(") || is(i + 1, "<")))
            return refuse(t, quoted("std::async"), k_no_process);
        return true;
    }

    // [[...]]: the standard attributes only; [[gnu::constructor]] and friends run code outside
    // the harness's control or move it into other sections.
    bool check_attribute(std::size_t i) {
        static const auto k_standard = name_set(
            "likely unlikely maybe_unused nodiscard fallthrough noreturn deprecated "
            "carries_dependency no_unique_address assume");
        int depth = 0;
        bool expect_name = true;
        for (std::size_t j = i + 2; j < m_tokens->size(); ++j) {
            const Token& t = (*m_tokens)[j];
            if (depth == 0 && t.text == "]" && is(j + 1, "]")) return true;
            if (t.text == "(") ++depth;
            if (t.text == ")") --depth;
            if (depth > 0) continue;
            if (t.text == ",") {
                expect_name = true;
                continue;
            }
            if (t.text == "using") return refuse(t, "[[using ...]]", k_no_attributes);
            if (expect_name && t.kind == TokenKind::identifier) {
                std::string name = t.text;
                if (is(j + 1, "::") && at(j + 2)) name += "::" + at(j + 2)->text;
                if (k_standard.count(name) == 0)
                    return refuse(t, "the attribute " + quoted(name), k_no_attributes);
                expect_name = false;
            }
        }
        return refuse((*m_tokens)[i], "an unterminated attribute", k_unreadable);
    }

    void push(ScopeKind kind, Space space, int owner) {
        Scope s;
        s.kind = kind;
        s.space = space;
        s.owner = owner;
        m_scopes.push_back(std::move(s));
    }

    // A token inside an initializer or a lambda within a declaration also belongs to that
    // declaration, which judges its initialiser as a whole.
    void forward(const Token& t) {
        const int owner = m_scopes.back().owner;
        if (owner >= 0 && owner < static_cast<int>(m_scopes.size()))
            m_scopes[static_cast<std::size_t>(owner)].declaration.push_back(t);
    }

    // Namespace and class bodies: declarations, read whole and judged at their end.
    bool declaration_token(std::size_t i) {
        const Token& t = (*m_tokens)[i];
        const std::size_t index = m_scopes.size() - 1;
        Scope& s = m_scopes.back();
        const std::string& text = t.kind == TokenKind::punctuator ? t.text : std::string();
        if (s.kind == ScopeKind::class_body && s.declaration.empty() &&
            t.kind == TokenKind::identifier &&
            (t.text == "public" || t.text == "private" || t.text == "protected") &&
            is(i + 1, ":")) {
            return true;  // the ':' follows as a declaration of its own and is dropped below
        }
        if (s.declaration.empty() && text == ":") return true;
        if (text == "}" && s.parens == 0) {
            if (!s.declaration.empty() && !analyze_declaration(index)) return false;
            if (m_scopes.size() == 1) return refuse(t, "a '}' without its '{'", k_unreadable);
            const bool was_class = s.kind == ScopeKind::class_body;
            m_scopes.pop_back();
            if (was_class) {
                if (m_scopes.back().kind == ScopeKind::namespace_body ||
                    m_scopes.back().kind == ScopeKind::class_body)
                    m_scopes.back().declaration.push_back(t);
                m_at_boundary = false;  // declarators may follow a class body
            } else {
                m_at_boundary = true;
            }
            return true;
        }
        if (text == ";" && s.parens == 0) {
            const bool ok = analyze_declaration(index);
            m_scopes[index].declaration.clear();
            return ok;
        }
        if (text == "{") {
            if (s.parens > 0) {
                s.declaration.push_back(t);
                push(ScopeKind::initializer, Space::none, static_cast<int>(index));
                return true;
            }
            return open_declaration_brace(i, index);
        }
        if (text == "(" || text == "[") ++s.parens;
        if (text == ")" || text == "]") --s.parens;
        s.declaration.push_back(t);
        return true;
    }

    bool open_declaration_brace(std::size_t i, std::size_t index) {
        const Token& t = (*m_tokens)[i];
        std::vector<Token>& d = m_scopes[index].declaration;
        std::size_t start = skip_template_prefix(d, 0);
        if (start < d.size() && d[start].text == "inline") ++start;
        if (start < d.size() && d[start].kind == TokenKind::identifier &&
            d[start].text == "namespace") {
            for (std::size_t k = start + 1; k < d.size(); ++k)
                if (d[k].kind == TokenKind::identifier && d[k].text != "inline" &&
                    is_foreign_namespace(d[k].text))
                    return refuse(d[k], "reopening namespace " + quoted(d[k].text),
                                  k_no_interposing);
            d.clear();
            push(ScopeKind::namespace_body, Space::none, -1);
            m_at_boundary = true;
            return true;
        }
        if (const auto head = class_head(d, start)) {
            if (!head->empty()) m_class_names.insert(*head);
            d.push_back(t);
            push(ScopeKind::class_body, Space::none, -1);
            return true;
        }
        if (start < d.size() && d[start].text == "enum") {
            d.push_back(t);
            push(ScopeKind::initializer, Space::none, static_cast<int>(index));
            return true;
        }
        const bool has_equals = top_level_index(d, start, "=").has_value();
        const auto function = has_equals ? std::nullopt : find_function(d, start, true);
        // `S() : a(1), b{2} {`: the brace after `b` initialises a member; the body's brace follows
        // a ')' or a '}'.
        const bool member_initializer =
            function && function->close + 1 < d.size() && d[function->close + 1].text == ":" &&
            (d.back().kind == TokenKind::identifier || d.back().text == ">");
        if (function && !member_initializer) {
            if (m_scopes[index].kind == ScopeKind::namespace_body &&
                !check_function_name(d, *function))
                return false;
            const Space space = function_space(d, start, function->name);
            d.clear();
            push(ScopeKind::function_body, space, -1);
            m_at_boundary = true;
            return true;
        }
        // A braced initialiser: `constexpr int k[] = {...}`, `T x{...}`.
        d.push_back(t);
        push(ScopeKind::initializer, Space::none, static_cast<int>(index));
        return true;
    }

    // Function bodies, blocks and initialisers: code, judged token by token.
    bool code_token(std::size_t i) {
        const Token& t = (*m_tokens)[i];
        Scope& s = m_scopes.back();
        forward(t);
        if (t.kind == TokenKind::punctuator) {
            if (t.text == "{") {
                if (m_class_braces.count(i) != 0) {
                    push(ScopeKind::class_body, Space::none, -1);
                    return true;
                }
                const Token* before = i > 0 ? at(i - 1) : nullptr;
                static const std::set<std::string_view> k_block_after = {
                    ")", ";", "{", "}", "else", "do", "try", ":", "]", "mutable"};
                const bool block = !before || before->kind == TokenKind::directive ||
                                   k_block_after.count(before->text) != 0;
                push(block ? ScopeKind::block : ScopeKind::initializer, s.space, s.owner);
                m_at_boundary = block;
                return true;
            }
            if (t.text == "}") {
                const ScopeKind kind = s.kind;
                m_scopes.pop_back();
                m_at_boundary = kind != ScopeKind::initializer;
                return true;
            }
            if (t.text == "(" || t.text == "[") ++s.parens;
            if (t.text == ")" || t.text == "]") --s.parens;
            m_at_boundary = t.text == ";" && s.parens == 0;
            return true;
        }
        m_at_boundary = false;
        if (t.kind != TokenKind::identifier) return true;
        if (t.text == "static") return check_static_local(i);
        if ((t.text == "struct" || t.text == "class" || t.text == "union") && s.parens == 0 &&
            !(i > 0 && (is(i - 1, "enum")))) {
            if (const auto brace = local_class_brace(i)) m_class_braces.insert(*brace);
        }
        return true;
    }

    // The '{' of `struct NAME [final] [: bases] {` starting at i, if that is what follows.
    std::optional<std::size_t> local_class_brace(std::size_t i) const {
        std::size_t j = i + 1;
        while (const Token* t = at(j)) {
            if (t->kind == TokenKind::identifier || t->text == "::") {
                ++j;
                continue;
            }
            if (t->text == "<") {
                const auto close = match_angle(*m_tokens, j);
                if (!close) return std::nullopt;
                j = *close + 1;
                continue;
            }
            break;
        }
        if (is(j, "{")) return j;
        if (!is(j, ":")) return std::nullopt;
        int depth = 0;
        for (; j < m_tokens->size(); ++j) {
            const std::string& s = (*m_tokens)[j].text;
            if (s == "(" || s == "[") ++depth;
            if (s == ")" || s == "]") --depth;
            if (depth == 0 && s == "{") return j;
            if (depth == 0 && s == ";") return std::nullopt;
        }
        return std::nullopt;
    }

    // A `static` in a function body (or in a lambda within an initialiser): a variable that
    // outlives the call.
    bool check_static_local(std::size_t i) {
        std::size_t start = i;
        // Back over the specifiers written before it: `const static int x`.
        while (start > 0 && (*m_tokens)[start - 1].kind == TokenKind::identifier) --start;
        std::size_t end = i;
        int depth = 0;
        for (; end < m_tokens->size(); ++end) {
            const Token& t = (*m_tokens)[end];
            if (t.kind == TokenKind::directive) break;
            if (t.text == "(" || t.text == "[" || t.text == "{") ++depth;
            if (t.text == ")" || t.text == "]" || t.text == "}") --depth;
            if (depth < 0 || (depth == 0 && t.text == ";")) break;
        }
        std::vector<Token> declaration(m_tokens->begin() + static_cast<std::ptrdiff_t>(start),
                                       m_tokens->begin() + static_cast<std::ptrdiff_t>(end));
        return check_persistent_variable(declaration, "a static variable");
    }

    // ---- declarations -------------------------------------------------------------------------

    static std::optional<std::size_t> match_angle(const std::vector<Token>& d, std::size_t open) {
        int angles = 0;
        int parens = 0;
        for (std::size_t k = open; k < d.size(); ++k) {
            const std::string& s = d[k].text;
            if (d[k].kind == TokenKind::literal) continue;
            if (s == "(" || s == "[" || s == "{") ++parens;
            if (s == ")" || s == "]" || s == "}") {
                if (--parens < 0) return std::nullopt;
            }
            if (parens > 0) continue;
            if (s == "<") ++angles;
            if (s == ">" && --angles == 0) return k;
            if (s == ";") return std::nullopt;
        }
        return std::nullopt;
    }

    static std::optional<std::size_t> match_group(const std::vector<Token>& d, std::size_t open) {
        int depth = 0;
        for (std::size_t k = open; k < d.size(); ++k) {
            if (d[k].kind == TokenKind::literal) continue;
            const std::string& s = d[k].text;
            if (s == "(" || s == "[" || s == "{") ++depth;
            if (s == ")" || s == "]" || s == "}") {
                if (--depth == 0) return k;
            }
        }
        return std::nullopt;
    }

    // Past `template <...>` (and `template` of an explicit instantiation).
    static std::size_t skip_template_prefix(const std::vector<Token>& d, std::size_t i) {
        while (i < d.size() && d[i].kind == TokenKind::identifier && d[i].text == "template") {
            if (i + 1 < d.size() && d[i + 1].text == "<") {
                const auto close = match_angle(d, i + 1);
                if (!close) return d.size();
                i = *close + 1;
            } else {
                ++i;
            }
        }
        return i;
    }

    // The first top-level `text` at or after start (parentheses, brackets, braces and template
    // arguments counted).
    static std::optional<std::size_t> top_level_index(const std::vector<Token>& d,
                                                      std::size_t start, std::string_view text) {
        int depth = 0;
        for (std::size_t k = start; k < d.size(); ++k) {
            if (d[k].kind == TokenKind::literal) continue;
            const std::string& s = d[k].text;
            if (depth == 0 && s == text) return k;
            if (s == "(" || s == "[" || s == "{") ++depth;
            if (s == ")" || s == "]" || s == "}") --depth;
            if (depth == 0 && s == "<" && k > 0 && d[k - 1].kind == TokenKind::identifier &&
                !is_keyword(d[k - 1].text)) {
                if (const auto close = match_angle(d, k)) k = *close;
            }
        }
        return std::nullopt;
    }

    // `struct|class|union NAME [final] [: bases]` up to the brace: the class's name ("" when it
    // has none), or nullopt when the declaration is no class head.
    static std::optional<std::string> class_head(const std::vector<Token>& d, std::size_t start) {
        std::size_t k = start;
        while (k < d.size() && d[k].kind == TokenKind::identifier &&
               (d[k].text == "typedef" || d[k].text == "const" || d[k].text == "constexpr" ||
                d[k].text == "static"))
            ++k;
        if (k >= d.size() ||
            !(d[k].text == "struct" || d[k].text == "class" || d[k].text == "union"))
            return std::nullopt;
        std::string name;
        for (++k; k < d.size(); ++k) {
            const Token& t = d[k];
            if (t.text == ":") return name;  // the base clause runs to the brace
            if (t.kind == TokenKind::identifier) {
                if (t.text != "final" && t.text != "alignas" && t.text != "__align__")
                    name = t.text;
                continue;
            }
            if (t.text == "::") continue;
            if (t.text == "<") {
                const auto close = match_angle(d, k);
                if (!close) return std::nullopt;
                k = *close;
                continue;
            }
            if (t.text == "(") {  // alignas(16)
                const auto close = match_group(d, k);
                if (!close) return std::nullopt;
                k = *close;
                continue;
            }
            return std::nullopt;
        }
        return name;
    }

    struct FunctionDeclarator {
        std::size_t name = 0;   // index of the name's last token
        std::size_t open = 0;   // its '('
        std::size_t close = 0;  // the matching ')'
        std::string text;       // "f", "operator new", "Foo::bar"
    };

    // The declarator `NAME(parameters)` that makes the declaration a function, if it is one.
    // `with_body`: a body follows, so `int f(a * b)` can only be a function.
    std::optional<FunctionDeclarator> find_function(const std::vector<Token>& d, std::size_t start,
                                                    bool with_body) const {
        for (std::size_t k = start; k < d.size(); ++k) {
            const Token& t = d[k];
            if (t.kind == TokenKind::literal) continue;
            if (t.text == "=") return std::nullopt;
            if (t.text == "<" && k > start && d[k - 1].kind == TokenKind::identifier &&
                d[k - 1].text != "operator") {
                const auto close = match_angle(d, k);
                if (!close) return std::nullopt;
                k = *close;
                continue;
            }
            if (t.text == "[" || t.text == "{") {
                const auto close = match_group(d, k);
                if (!close) return std::nullopt;
                k = *close;
                continue;
            }
            if (t.text != "(") continue;
            const auto close = match_group(d, k);
            if (!close) return std::nullopt;
            if (k == start)
                return std::nullopt;  // a grouping parenthesis: a pointer to function, a variable
            const Token& before = d[k - 1];
            if (before.kind == TokenKind::identifier && is_specifier_call(before.text)) {
                k = *close;
                continue;
            }
            FunctionDeclarator f;
            f.open = k;
            f.close = *close;
            f.name = k - 1;
            // operator(): the '(' just read is the operator's own name.
            if (before.text == "operator") {
                if (*close != k + 1 || *close + 1 >= d.size() || d[*close + 1].text != "(")
                    return std::nullopt;
                f.text = "operator()";
                f.name = *close;
                f.open = *close + 1;
                const auto params_close = match_group(d, f.open);
                if (!params_close) return std::nullopt;
                f.close = *params_close;
            } else {
                // operator+, operator new[], operator float: `operator` a few tokens back.
                std::size_t op = k;
                for (std::size_t back = 1; back <= 4 && back <= k - start; ++back)
                    if (d[k - back].text == "operator") op = k - back;
                if (op != k) {
                    f.text = "operator";
                    for (std::size_t m = op + 1; m < k; ++m)
                        f.text += (d[m].kind == TokenKind::identifier ? " " : "") + d[m].text;
                } else if (before.text == ">") {
                    // A template-id, f<int>(...): its name is before the '<'.
                    int angles = 0;
                    std::size_t m = k - 1;
                    for (;; --m) {
                        if (d[m].text == ">") ++angles;
                        if (d[m].text == "<" && --angles == 0) break;
                        if (m == start) return std::nullopt;
                    }
                    if (m == start || d[m - 1].kind != TokenKind::identifier) return std::nullopt;
                    f.name = m - 1;
                    f.text = d[m - 1].text;
                } else if (before.kind == TokenKind::identifier && !is_keyword(before.text)) {
                    f.text = before.text;
                    if (k >= start + 2 && d[k - 2].text == "~") f.text = "~" + f.text;
                } else {
                    return std::nullopt;  // `int (*p)(int)`, `void (...)`: not a function's name
                }
            }
            if (!function_follows(d, f.close + 1)) return std::nullopt;
            if (!with_body && !looks_like_parameters(d, f.open, f.close) &&
                !has_function_specifier(d, start, f.name))
                return std::nullopt;
            // The qualifiers of the name: Foo::bar, std::swap.
            std::size_t q = f.name;
            while (q >= start + 2 && d[q - 1].text == "::" &&
                   d[q - 2].kind == TokenKind::identifier) {
                f.text = d[q - 2].text + "::" + f.text;
                q -= 2;
            }
            return f;
        }
        return std::nullopt;
    }

    // What may follow a function's parameter list.
    static bool function_follows(const std::vector<Token>& d, std::size_t k) {
        if (k >= d.size()) return true;
        static const auto k_follow =
            name_set("const volatile & && noexcept override final -> = throw requires try : [");
        return k_follow.count(d[k].text) != 0;
    }

    // `(int n, float* x)` rather than `(a * b)` or `(5)`: every parameter has a type keyword, a
    // qualified or template type, or two names in a row.
    static bool looks_like_parameters(const std::vector<Token>& d, std::size_t open,
                                      std::size_t close) {
        if (close == open + 1) return true;
        if (close == open + 2 && d[open + 1].text == "void") return true;
        std::vector<std::vector<const Token*>> parameters(1);
        int depth = 0;
        for (std::size_t k = open + 1; k < close; ++k) {
            const std::string& s = d[k].text;
            if (s == "(" || s == "[" || s == "{" || s == "<") ++depth;
            if (s == ")" || s == "]" || s == "}" || s == ">") --depth;
            if (depth == 0 && s == ",") {
                parameters.emplace_back();
                continue;
            }
            parameters.back().push_back(&d[k]);
        }
        for (const auto& p : parameters) {
            bool typed = false;
            const Token* previous = nullptr;
            for (const Token* t : p) {
                if (t->text == "=") break;  // a default argument
                if (t->kind == TokenKind::number || t->kind == TokenKind::literal) return false;
                if (t->kind == TokenKind::identifier && is_type_keyword(t->text)) typed = true;
                if (t->text == "::" || t->text == "<" || t->text == "...") typed = true;
                if (previous && previous->kind == TokenKind::identifier &&
                    t->kind == TokenKind::identifier)
                    typed = true;
                previous = t;
            }
            if (!typed) return false;
        }
        return true;
    }

    static bool has_function_specifier(const std::vector<Token>& d, std::size_t start,
                                       std::size_t name) {
        static const auto k_specifiers = name_set(
            "__global__ __device__ __host__ inline virtual explicit friend __forceinline__ "
            "__noinline__ void");
        for (std::size_t k = start; k < name; ++k)
            if (d[k].kind == TokenKind::identifier && k_specifiers.count(d[k].text) != 0)
                return true;
        return false;
    }

    static Space function_space(const std::vector<Token>& d, std::size_t start, std::size_t name) {
        bool device = false;
        bool host = false;
        for (std::size_t k = start; k < name; ++k) {
            if (d[k].text == "__global__" || d[k].text == "__device__") device = true;
            if (d[k].text == "__host__") host = true;
        }
        return device && !host ? Space::device : Space::host;
    }

    bool check_function_name(const std::vector<Token>& d, const FunctionDeclarator& f) {
        const std::string& name = f.text;
        const std::size_t last = name.rfind("::");
        const std::string plain = last == std::string::npos ? name : name.substr(last + 2);
        const std::string first = name.substr(0, name.find("::"));
        if (last != std::string::npos && is_foreign_namespace(first))
            return refuse(d[f.name], "a definition of " + quoted(name), k_no_interposing);
        if (is_interposing_name(plain) || is_interposing_name(name))
            return refuse(d[f.name], "a function named " + quoted(name), k_no_interposing);
        return true;
    }

    // A declaration at namespace or class scope, complete.
    bool analyze_declaration(std::size_t index) {
        const Scope& scope = m_scopes[index];
        const std::vector<Token> d = scope.declaration;
        if (d.empty()) return true;
        const std::size_t start = skip_template_prefix(d, 0);
        if (start >= d.size()) return true;
        const Token& first = d[start];
        static const auto k_no_variable =
            name_set("using typedef static_assert friend concept namespace");
        if (first.kind == TokenKind::identifier && k_no_variable.count(first.text) != 0)
            return true;
        if (first.text == "extern" && start + 1 < d.size() && d[start + 1].text == "__shared__")
            return true;
        if (const auto function = find_function(d, start, false)) {
            if (scope.kind == ScopeKind::namespace_body) return check_function_name(d, *function);
            return true;
        }
        if (is_type_only(d, start)) return true;
        if (scope.kind == ScopeKind::class_body) {
            // A data member lives in its object; only a static one outlives the call.
            const bool is_static = std::any_of(
                d.begin() + static_cast<std::ptrdiff_t>(start), d.end(), [](const Token& t) {
                    return t.kind == TokenKind::identifier && t.text == "static";
                });
            if (!is_static) return true;
            return check_persistent_variable(
                std::vector<Token>(d.begin() + static_cast<std::ptrdiff_t>(start), d.end()),
                "a static member");
        }
        return check_persistent_variable(
            std::vector<Token>(d.begin() + static_cast<std::ptrdiff_t>(start), d.end()),
            "a global variable");
    }

    // `struct S;`, `struct S {...}`, `enum class E : int {...}`: a type and no variable.
    static bool is_type_only(const std::vector<Token>& d, std::size_t start) {
        std::size_t k = start;
        if (k < d.size() && d[k].text == "enum") {
            ++k;
            if (k < d.size() && (d[k].text == "class" || d[k].text == "struct")) ++k;
        } else if (k < d.size() &&
                   (d[k].text == "struct" || d[k].text == "class" || d[k].text == "union")) {
            ++k;
        } else {
            return false;
        }
        for (; k < d.size(); ++k) {
            if (d[k].text == "{") {
                const auto close = match_group(d, k);
                return close && *close + 1 == d.size();
            }
            if (d[k].text == "<") {
                const auto close = match_angle(d, k);
                if (!close) return false;
                k = *close;
                continue;
            }
            if (d[k].kind == TokenKind::identifier || d[k].text == "::" || d[k].text == ":" ||
                d[k].text == ",")
                continue;
            return false;
        }
        return true;
    }

    // Splits at top-level commas; template arguments count as nesting only when `angles`.
    static std::vector<std::vector<Token>> split_declarators(const std::vector<Token>& d,
                                                             bool angles) {
        std::vector<std::vector<Token>> pieces(1);
        std::vector<char> stack;
        for (std::size_t k = 0; k < d.size(); ++k) {
            const Token& t = d[k];
            if (t.kind != TokenKind::literal) {
                const std::string& s = t.text;
                if (s == "(" || s == "[" || s == "{") stack.push_back(s[0]);
                if ((s == ")" || s == "]" || s == "}") && !stack.empty()) stack.pop_back();
                if (angles && s == "<" && k > 0 && d[k - 1].kind == TokenKind::identifier &&
                    !is_keyword(d[k - 1].text))
                    stack.push_back('<');
                if (angles && s == ">" && !stack.empty() && stack.back() == '<') stack.pop_back();
                if (s == "," && stack.empty()) {
                    pieces.emplace_back();
                    continue;
                }
            }
            pieces.back().push_back(t);
        }
        return pieces;
    }

    // The end of a declarator's own tokens, from `from`: its initialiser, array bound or
    // bit-field starts there.
    static std::size_t declarator_end(const std::vector<Token>& piece, std::size_t from) {
        for (std::size_t k = from; k < piece.size(); ++k) {
            const Token& t = piece[k];
            if (t.kind == TokenKind::literal) continue;
            if (t.text == "=" || t.text == "{" || t.text == "[" || t.text == ":" || t.text == ";")
                return k;
            if (t.text == "<" && k > 0 && piece[k - 1].kind == TokenKind::identifier &&
                !is_keyword(piece[k - 1].text)) {
                if (const auto close = match_angle(piece, k)) k = *close;
                continue;
            }
            if (t.text == "(") {
                if (k > 0 && piece[k - 1].kind == TokenKind::identifier &&
                    is_specifier_call(piece[k - 1].text)) {
                    if (const auto close = match_group(piece, k)) k = *close;
                    continue;
                }
                // `T x(args)`: direct initialisation after the name; `T (*p)` groups the
                // declarator.
                if (k > 0 && piece[k - 1].kind == TokenKind::identifier &&
                    !is_keyword(piece[k - 1].text))
                    return k;
            }
        }
        return piece.size();
    }

    // Past the class body of `struct S {...} s`, whose declarators follow it; 0 when there is none.
    static std::size_t after_class_body(const std::vector<Token>& piece) {
        bool class_key = false;
        for (std::size_t k = 0; k < piece.size(); ++k) {
            const std::string& s = piece[k].text;
            if (s == "struct" || s == "class" || s == "union" || s == "enum") class_key = true;
            if (s == "=" || s == "(") return 0;
            if (s == "{") {
                const auto close = class_key ? match_group(piece, k) : std::nullopt;
                return close ? *close + 1 : 0;
            }
        }
        return 0;
    }

    // A variable with static storage (namespace scope, static member or static local), given
    // from its first specifier to its end: it must be constant, all the way down, and a constant
    // computed at run time must be too narrow to hold an address.
    bool check_persistent_variable(const std::vector<Token>& d, const std::string& what) {
        if (d.empty()) return true;
        const auto pieces = split_declarators(d, true);
        const std::vector<Token>& first = pieces.front();
        const std::size_t from = after_class_body(first);
        const std::size_t first_end = declarator_end(first, from);
        // Shared memory lives for one block of one launch.
        for (std::size_t k = 0; k < first_end; ++k)
            if (first[k].kind == TokenKind::identifier && first[k].text == "__shared__")
                return true;
        // The name: the last identifier of the declarator.
        std::string name;
        std::size_t name_at = first_end;
        for (std::size_t k = from; k < first_end; ++k)
            if (first[k].kind == TokenKind::identifier && !is_keyword(first[k].text)) {
                name = first[k].text;
                name_at = k;
            }
        const Token& where = name_at < first.size() ? first[name_at] : d.front();
        const std::string subject = name.empty() ? what : what + " " + quoted(name);
        // Specifiers: up to the first pointer operator, grouping parenthesis or the name.
        std::size_t specifiers_end = name_at;
        for (std::size_t k = from; k < name_at; ++k) {
            const std::string& s = first[k].text;
            if (s == "*" || s == "&" || s == "&&" ||
                (s == "(" && !(k > 0 && is_specifier_call(first[k - 1].text)))) {
                specifiers_end = k;
                break;
            }
            if (s == "<" && k > 0 && first[k - 1].kind == TokenKind::identifier) {
                if (const auto close = match_angle(first, k)) k = *close;
            }
        }
        bool is_constexpr = false;
        bool is_const = false;
        for (std::size_t k = 0; k < specifiers_end; ++k) {
            if (first[k].text == "constexpr" || first[k].text == "consteval") is_constexpr = true;
            if (first[k].text == "const") is_const = true;
        }
        if (is_constexpr) return true;  // fixed when compiled: nothing to remember in it
        if (!is_const) {
            const bool const_pointer =
                specifiers_end < first_end &&
                std::any_of(first.begin() + static_cast<std::ptrdiff_t>(specifiers_end),
                            first.begin() + static_cast<std::ptrdiff_t>(first_end),
                            [](const Token& t) { return t.text == "const"; });
            return refuse(where,
                          subject + (const_pointer ? " that points to memory which is not const"
                                                   : " that is not const"),
                          k_no_state);
        }
        // `const float* p` is a variable pointer (to constants): every '*' needs its own const.
        const auto plain_pieces = split_declarators(d, false);
        for (std::size_t p = 0; p < plain_pieces.size(); ++p) {
            const auto& piece = plain_pieces[p];
            const std::size_t begin = p == 0 ? std::min(specifiers_end, piece.size()) : 0;
            const std::size_t end = declarator_end(piece, p == 0 ? from : 0);
            for (std::size_t k = begin; k < end; ++k) {
                if (piece[k].text != "*") continue;
                if (!(k + 1 < end && piece[k + 1].text == "const"))
                    return refuse(piece[k], subject + " that is a pointer which can be changed",
                                  k_no_state);
            }
        }
        // A constant initialised by running code holds whatever that code returned.
        bool runs_code = false;
        for (std::size_t p = 0; p < pieces.size(); ++p)
            if (declarator_end(pieces[p], p == 0 ? from : 0) >= pieces[p].size())
                runs_code = true;  // no initialiser: a constructor runs
        for (std::size_t k = first_end; k < d.size() && !runs_code; ++k) {
            const Token& t = d[k];
            if (t.kind == TokenKind::identifier && t.text == "new") runs_code = true;
            if (t.text != "(" || k == 0 || t.kind == TokenKind::literal) continue;
            const Token& before = d[k - 1];
            if (before.kind == TokenKind::identifier && !is_keyword(before.text))
                runs_code = true;  // f(...), T(...)
            if (before.text == ")" || before.text == "]" || before.text == "}")
                runs_code = true;  // [] {...}(), f(x)(y)
            if (before.text == ">") {
                // f<T>(...) is a call; static_cast<T>(...) is not.
                int angles = 0;
                for (std::size_t m = k - 1; m > 0; --m) {
                    if (d[m].text == ">") ++angles;
                    if (d[m].text == "<" && --angles == 0) {
                        if (!(d[m - 1].text == "static_cast" ||
                              d[m - 1].text == "reinterpret_cast"))
                            runs_code = true;
                        break;
                    }
                }
            }
        }
        for (std::size_t k = 0; k < specifiers_end && !runs_code; ++k)
            if (m_class_names.count(first[k].text) != 0)
                runs_code = true;  // its constructor is the candidate's code
        if (!runs_code) return true;
        bool narrow = pieces.size() == 1 && from == 0 && specifiers_end == name_at &&
                      name_at + 1 == first_end;
        for (std::size_t k = 0; k < specifiers_end && narrow; ++k)
            narrow = is_narrow_scalar_word(first[k].text);
        if (first_end < first.size() && first[first_end].text == "[")
            narrow = false;  // an array: several words
        if (!narrow)
            return refuse(where, subject + " computed at run time",
                          std::string(k_no_state) +
                              "; make it constexpr, a 32-bit scalar, or compute it on every call");
        return true;
    }
};

}  // namespace

core::Result<void> check_kernel_sources(const std::vector<core::SourceFile>& candidate_sources,
                                        const std::vector<core::SourceFile>& harness) {
    Checker checker(candidate_sources, harness);
    return checker.run();
}

}  // namespace optiloop::runner
