// A deadline for a call that must not block (reading a task folder that holds a FIFO): a
// regression then fails the test instead of hanging ctest until its own timeout, or forever.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <thread>
#include <utility>

namespace test_support {

// f() run on a thread of its own. Still blocked after `seconds`, the process ends with a
// failure: a thread blocked in open() can be neither joined nor cancelled.
template <class F>
auto within_seconds(int seconds, F f) -> decltype(f()) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto result = task.get_future();
    std::thread(std::move(task)).detach();
    if (result.wait_for(std::chrono::seconds(seconds)) != std::future_status::ready) {
        std::fprintf(stderr, "FAILED: still blocked after %d s (something opened a FIFO)\n", seconds);
        std::fflush(nullptr);
        std::_Exit(1);
    }
    return result.get();
}

}  // namespace test_support
