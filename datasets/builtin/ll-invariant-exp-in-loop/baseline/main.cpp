#include <cstdio>
#include <cmath>
#include <vector>
using namespace std;

// Input: D M r seed. sales[i][j] (day i in [0, D), store j in [0, M)) is an integer in
// [0, 999]: read as D rows of M values when seed == 0, otherwise produced by a 64-bit LCG.
// Print, for every store j, sum over days i of sales[i][j] * exp(-r * i) with 6 decimals.
int main() {
    int D, M;
    double r;
    unsigned long long seed;
    if (scanf("%d %d %lf %llu", &D, &M, &r, &seed) != 4) return 0;
    vector<vector<int>> sales(D, vector<int>(M));
    unsigned long long s = seed;
    for (int i = 0; i < D; i++)
        for (int j = 0; j < M; j++) {
            if (seed == 0) {
                scanf("%d", &sales[i][j]);
            } else {
                s = s * 6364136223846793005ULL + 1442695040888963407ULL;
                sales[i][j] = (int)((s >> 33) % 1000);
            }
        }
    vector<double> total(M, 0.0);
    for (int i = 0; i < D; i++)
        for (int j = 0; j < M; j++)
            total[j] += sales[i][j] * exp(-r * i);
    for (int j = 0; j < M; j++) printf("%.6f\n", total[j]);
    return 0;
}
