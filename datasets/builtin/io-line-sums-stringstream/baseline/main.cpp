#include <iostream>
#include <sstream>
#include <string>
using namespace std;

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    string line;
    getline(cin, line);
    int n = stoi(line);
    for (int i = 0; i < n; i++) {
        getline(cin, line);
        istringstream ss(line);
        long long x, sum = 0;
        while (ss >> x) sum += x;
        cout << sum << '\n';
    }
    return 0;
}
