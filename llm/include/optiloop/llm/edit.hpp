// Applying an Edit to a set of sources: whole files replace (or add) files, replacements are
// applied exactly at their offsets. An edit that cannot apply says which part and why; an edit
// that changes nothing is an error too (never apply nothing silently).
#pragma once

#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>

namespace optiloop::llm {

core::Result<std::vector<core::SourceFile>> apply_edit(const std::vector<core::SourceFile>& sources, const core::Edit& edit);

// Characters changed between two versions of the sources (for ranking ties).
std::size_t change_size(const std::vector<core::SourceFile>& before, const std::vector<core::SourceFile>& after);

}  // namespace optiloop::llm
