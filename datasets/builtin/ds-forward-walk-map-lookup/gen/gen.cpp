// gen SEED N Q [MAXK]: N distinct account ids (up to 1e12), each forwarding to one of the ids,
// then Q queries "id k" with k in [0, MAXK]
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>
#include <vector>
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    int n = atoi(argv[2]), q = atoi(argv[3]);
    int maxk = argc > 4 ? atoi(argv[4]) : 60;
    std::mt19937_64 rng(seed);
    std::set<long long> used;
    std::vector<long long> ids;
    while ((int)ids.size() < n) {
        long long id = 1 + (long long)(rng() % 1000000000000ULL);
        if (used.insert(id).second) ids.push_back(id);
    }
    printf("%d\n", n);
    for (int i = 0; i < n; i++) printf("%lld %lld\n", ids[i], ids[rng() % n]);
    printf("%d\n", q);
    for (int i = 0; i < q; i++) printf("%lld %d\n", ids[rng() % n], (int)(rng() % (maxk + 1)));
    return 0;
}
