#include <gtest/gtest.h>

#include <optiloop/llm/edit.hpp>
#include <optiloop/llm/replay.hpp>

using namespace optiloop;

namespace {
const std::vector<core::SourceFile> k_sources = {{"main.cpp", "int main() { return 0; }\n"}, {"util.hpp", "#pragma once\n"}};
}

TEST(ApplyEdit, ReplacementsApplyFromTheEnd) {
    core::Edit edit;
    edit.replacements = {{"main.cpp", 0, 3, "long"}, {"main.cpp", 20, 1, "1"}};
    auto out = llm::apply_edit(k_sources, edit);
    ASSERT_TRUE(out) << out.error().message;
    EXPECT_EQ((*out)[0].content, "long main() { return 1; }\n");
    EXPECT_EQ((*out)[1], k_sources[1]);
}

TEST(ApplyEdit, WholeFilesReplaceOrAdd) {
    core::Edit edit;
    edit.files = {{"main.cpp", "int main() {}\n"}, {"new.hpp", "// new\n"}};
    auto out = llm::apply_edit(k_sources, edit);
    ASSERT_TRUE(out);
    ASSERT_EQ(out->size(), 3u);
    EXPECT_EQ((*out)[0].content, "int main() {}\n");
    EXPECT_EQ((*out)[2].path, "new.hpp");
}

TEST(ApplyEdit, RefusesBadEdits) {
    core::Edit past_end;
    past_end.replacements = {{"main.cpp", 100, 1, "x"}};
    auto r = llm::apply_edit(k_sources, past_end);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("past the end"), std::string::npos);

    core::Edit unknown;
    unknown.replacements = {{"other.cpp", 0, 0, "x"}};
    r = llm::apply_edit(k_sources, unknown);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("other.cpp"), std::string::npos);

    core::Edit overlapping;
    overlapping.replacements = {{"main.cpp", 0, 5, "a"}, {"main.cpp", 3, 4, "b"}};
    r = llm::apply_edit(k_sources, overlapping);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("overlap"), std::string::npos);

    core::Edit nothing;  // never apply nothing silently
    r = llm::apply_edit(k_sources, nothing);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "edit: it changes nothing");
}

TEST(ApplyEdit, ChangeSize) {
    EXPECT_EQ(llm::change_size(k_sources, k_sources), 0u);
    auto changed = k_sources;
    changed[0].content = "int main() { return 7; }\n";
    EXPECT_EQ(llm::change_size(k_sources, changed), 1u);
}

TEST(Replay, OffersTheReferenceOnce) {
    core::Task task;
    task.id = "t";
    task.baseline = {{"main.cpp", "slow"}};
    task.reference = {{"main.cpp", "fast"}};
    llm::ReplayProposer replay;
    core::ProposalContext context;
    context.current = task.baseline;
    auto edits = replay.propose(task, context);
    ASSERT_TRUE(edits);
    ASSERT_EQ(edits->size(), 1u);
    EXPECT_EQ((*edits)[0].files, task.reference);
    context.current = task.reference;
    edits = replay.propose(task, context);
    ASSERT_TRUE(edits);
    EXPECT_TRUE(edits->empty());
    task.reference.clear();
    EXPECT_FALSE(replay.propose(task, context));
}
