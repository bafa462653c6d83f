#include <cstdio>
#include <vector>
#include <algorithm>
using namespace std;

int main() {
    long long n, x, a, b, p, k;
    if (scanf("%lld %lld %lld %lld %lld %lld", &n, &x, &a, &b, &p, &k) != 6) return 0;
    vector<long long> v(n);
    for (long long i = 0; i < n; i++) {
        v[i] = x % k;
        x = (a * x + b) % p;
    }
    sort(v.begin(), v.end());
    v.erase(unique(v.begin(), v.end()), v.end());
    long long sum = 0;
    for (long long y : v) sum += y;
    printf("%zu %lld\n", v.size(), sum);
    return 0;
}
