#include <deque>
#include <iostream>
#include <vector>

int main() {
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    int n, k;
    if (!(std::cin >> n >> k)) return 0;
    std::vector<long long> a(n);
    for (auto& x : a) std::cin >> x;
    std::deque<int> window;  // positions in the window, values strictly decreasing front to back
    for (int i = 0; i < n; i++) {
        while (!window.empty() && a[window.back()] <= a[i]) window.pop_back();
        window.push_back(i);
        if (window.front() <= i - k) window.pop_front();
        if (i >= k - 1) std::cout << a[window.front()] << (i == n - 1 ? '\n' : ' ');
    }
    return 0;
}
