// libFuzzer entry point for llm::parse_answer: the input is "SOURCE\0ANSWER" (or only an answer,
// edited against a fixed main.cpp). Whatever parse_answer accepts must apply cleanly: it
// promises an Edit that applies and changes something, and the fuzzer holds it to that.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <optiloop/llm/edit.hpp>
#include <optiloop/llm/parse.hpp>

namespace {

constexpr std::string_view k_fixed_source =
    "#include <cstdio>\n"
    "int main() {\n"
    "    int sum = 0;\n"
    "    for (int i = 0; i < 10; ++i) {\n"
    "        sum += i;\n"
    "    }\n"
    "    std::printf(\"%d\\n\", sum);\n"
    "}\n";

[[noreturn]] void broken(const char* what, const std::string& detail) {
    std::fprintf(stderr, "fuzz_parse: %s: %s\n", what, detail.c_str());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace optiloop;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t nul = input.find('\0');
    const std::string_view source = nul == std::string_view::npos ? k_fixed_source : input.substr(0, nul);
    const std::string_view answer = nul == std::string_view::npos ? input : input.substr(nul + 1);
    // Two sources too, so the several-files paths are reached.
    const std::vector<std::vector<core::SourceFile>> source_sets = {
        {{"main.cpp", std::string(source)}},
        {{"main.cpp", std::string(source)}, {"src/util.hpp", "#pragma once\nint twice(int x);\n"}},
    };
    for (const auto& sources : source_sets) {
        auto edit = llm::parse_answer(answer, sources, "fuzz");
        if (!edit) {
            if (edit.error().message.empty()) broken("empty error message", "");
            if (edit.error().message.find('\n') != std::string::npos) broken("error message of several lines", edit.error().message);
            continue;
        }
        if (edit->proposer != "fuzz") broken("proposer lost", edit->proposer);
        if (edit->explanation.size() > 400) broken("explanation longer than 400 bytes", edit->explanation);
        auto applied = llm::apply_edit(sources, *edit);
        if (!applied) broken("an accepted edit does not apply", applied.error().message);
        std::size_t new_files = 0;
        for (const auto& file : edit->files) {
            bool known = false;
            for (const auto& s : sources) known = known || s.path == file.path;
            if (!known) ++new_files;
        }
        if (applied->size() != sources.size() + new_files)
            broken("wrong number of files after applying", std::to_string(applied->size()));
        for (std::size_t i = 0; i < sources.size(); ++i)
            if ((*applied)[i].path != sources[i].path) broken("sources reordered", (*applied)[i].path);
        if (*applied == sources) broken("an accepted edit changes nothing", "");
    }
    return 0;
}
