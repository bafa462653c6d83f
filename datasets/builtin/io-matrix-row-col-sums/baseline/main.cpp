#include <iostream>
#include <vector>
using namespace std;

int main() {
    int n, m;
    cin >> n >> m;
    vector<long long> row(n, 0), col(m, 0);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
            long long x;
            cin >> x;
            row[i] += x;
            col[j] += x;
        }
    }
    for (int i = 0; i < n; i++) cout << row[i] << (i + 1 < n ? ' ' : '\n');
    for (int j = 0; j < m; j++) cout << col[j] << (j + 1 < m ? ' ' : '\n');
    return 0;
}
