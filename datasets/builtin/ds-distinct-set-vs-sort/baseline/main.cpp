#include <cstdio>
#include <set>
using namespace std;

int main() {
    long long n, x, a, b, p, k;
    if (scanf("%lld %lld %lld %lld %lld %lld", &n, &x, &a, &b, &p, &k) != 6) return 0;
    set<long long> seen;
    for (long long i = 0; i < n; i++) {
        seen.insert(x % k);
        x = (a * x + b) % p;
    }
    long long sum = 0;
    for (long long v : seen) sum += v;
    printf("%zu %lld\n", seen.size(), sum);
    return 0;
}
