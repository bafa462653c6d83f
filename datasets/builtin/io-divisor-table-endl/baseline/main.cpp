#include <iostream>
#include <vector>
using namespace std;

int main() {
    int n;
    cin >> n;
    vector<int> divs(n + 1, 0);
    for (int i = 1; i <= n; i++)
        for (int j = i; j <= n; j += i)
            divs[j]++;
    for (int i = 1; i <= n; i++) {
        cout << divs[i] << endl;
    }
    return 0;
}
