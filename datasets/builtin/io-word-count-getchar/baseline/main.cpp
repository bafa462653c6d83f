#include <iostream>
using namespace std;

int main() {
    long long lines = 0, words = 0, bytes = 0, longest = 0, cur = 0;
    char c;
    while (cin.get(c)) {
        bytes++;
        if (c == '\n') lines++;
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            if (cur > 0) {
                words++;
                if (cur > longest) longest = cur;
                cur = 0;
            }
        } else {
            cur++;
        }
    }
    if (cur > 0) {
        words++;
        if (cur > longest) longest = cur;
    }
    cout << lines << " " << words << " " << bytes << " " << longest << "\n";
    return 0;
}
