#include <iostream>
#include <vector>

int main() {
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    int rows, cols, q;
    if (!(std::cin >> rows >> cols >> q)) return 0;
    std::vector<std::vector<long long>> grid(rows, std::vector<long long>(cols));
    for (auto& row : grid)
        for (auto& x : row) std::cin >> x;
    while (q--) {
        int r1, c1, r2, c2;  // 1-based corners, inclusive
        std::cin >> r1 >> c1 >> r2 >> c2;
        long long sum = 0;
        for (int r = r1 - 1; r < r2; r++)
            for (int c = c1 - 1; c < c2; c++) sum += grid[r][c];
        std::cout << sum << "\n";
    }
    return 0;
}
