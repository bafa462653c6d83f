#include <algorithm>

#include <optiloop/core/diff.hpp>
#include <optiloop/llm/edit.hpp>

namespace optiloop::llm {

core::Result<std::vector<core::SourceFile>> apply_edit(const std::vector<core::SourceFile>& sources, const core::Edit& edit) {
    if (!edit.problem.empty()) return core::fail(core::Error::input(edit.problem));
    std::vector<core::SourceFile> out = sources;
    auto find = [&](const std::string& path) {
        return std::find_if(out.begin(), out.end(), [&](const core::SourceFile& f) { return f.path == path; });
    };
    for (const auto& file : edit.files) {
        if (auto it = find(file.path); it != out.end()) it->content = file.content;
        else out.push_back(file);
    }
    // Replacements of one file, from the end backwards so earlier offsets stay valid.
    auto replacements = edit.replacements;
    std::stable_sort(replacements.begin(), replacements.end(), [](const core::Replacement& a, const core::Replacement& b) {
        return a.path != b.path ? a.path < b.path : a.offset > b.offset;
    });
    for (std::size_t i = 0; i < replacements.size(); ++i) {
        const auto& r = replacements[i];
        auto it = find(r.path);
        if (it == out.end()) return core::fail(core::Error::input("edit: replacement " + std::to_string(i + 1) + " names " + r.path + ", which is not among the sources"));
        if (r.offset > it->content.size() || r.length > it->content.size() - r.offset)
            return core::fail(core::Error::input("edit: replacement at " + r.path + " offset " + std::to_string(r.offset) + " runs past the end of the file"));
        if (i > 0 && replacements[i - 1].path == r.path && r.offset + r.length > replacements[i - 1].offset)
            return core::fail(core::Error::input("edit: replacements overlap in " + r.path + " at offset " + std::to_string(r.offset)));
        it->content.replace(r.offset, r.length, r.text);
    }
    if (out == sources) return core::fail(core::Error::input("edit: it changes nothing"));
    return out;
}

std::size_t change_size(const std::vector<core::SourceFile>& before, const std::vector<core::SourceFile>& after) {
    std::size_t total = 0;
    for (const auto& a : after) {
        auto it = std::find_if(before.begin(), before.end(), [&](const core::SourceFile& b) { return b.path == a.path; });
        if (it == before.end()) {
            total += a.content.size();
            continue;
        }
        // Common prefix and suffix; what lies between changed.
        const std::string& x = it->content;
        const std::string& y = a.content;
        const std::size_t prefix = core::common_prefix(x, y);
        const std::size_t suffix = core::common_suffix(x, y, prefix);
        total += std::max(x.size(), y.size()) - prefix - suffix;
    }
    return total;
}

}  // namespace optiloop::llm
