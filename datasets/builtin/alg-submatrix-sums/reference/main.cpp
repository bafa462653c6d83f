#include <iostream>
#include <vector>

int main() {
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    int rows, cols, q;
    if (!(std::cin >> rows >> cols >> q)) return 0;
    // pre[r][c] = sum of the cells above and left of (r, c), exclusive
    std::vector<std::vector<long long>> pre(rows + 1, std::vector<long long>(cols + 1, 0));
    for (int r = 1; r <= rows; r++)
        for (int c = 1; c <= cols; c++) {
            long long x;
            std::cin >> x;
            pre[r][c] = x + pre[r - 1][c] + pre[r][c - 1] - pre[r - 1][c - 1];
        }
    while (q--) {
        int r1, c1, r2, c2;  // 1-based corners, inclusive
        std::cin >> r1 >> c1 >> r2 >> c2;
        std::cout << pre[r2][c2] - pre[r1 - 1][c2] - pre[r2][c1 - 1] + pre[r1 - 1][c1 - 1] << "\n";
    }
    return 0;
}
