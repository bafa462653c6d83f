#include <cstdio>
#include <cmath>
#include <vector>
using namespace std;

int main() {
    int D, M;
    double r;
    unsigned long long seed;
    if (scanf("%d %d %lf %llu", &D, &M, &r, &seed) != 4) return 0;
    const int days = D, stores = M;
    vector<int> sales((size_t)days * stores);
    unsigned long long s = seed;
    for (size_t t = 0; t < sales.size(); t++) {
        if (seed == 0) {
            scanf("%d", &sales[t]);
        } else {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            sales[t] = (int)((s >> 33) % 1000);
        }
    }
    vector<double> total(stores, 0.0);
    double* __restrict tot = total.data();
    for (int i = 0; i < days; i++) {
        const double w = exp(-r * i);  // depends on the day only
        const int* __restrict row = sales.data() + (size_t)i * stores;
        for (int j = 0; j < stores; j++) tot[j] += row[j] * w;
    }
    for (int j = 0; j < stores; j++) printf("%.6f\n", total[j]);
    return 0;
}
