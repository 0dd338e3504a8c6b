#include <string>

#include "appcore/forms/standard_weight.h"

#include <cstdio>

namespace nanbyo::forms {
namespace {

struct Coefficients {
  double a, b;
};

// Index 0 = 5 years ... 12 = 17 years (see standard_weight.h for the source).
constexpr Coefficients kBoys[13] = {
    {0.386, 23.699}, {0.461, 32.382}, {0.513, 38.878}, {0.592, 48.804}, {0.687, 61.390},
    {0.752, 70.461}, {0.782, 75.106}, {0.783, 75.642}, {0.815, 81.348}, {0.832, 83.695},
    {0.766, 70.989}, {0.656, 51.822}, {0.672, 53.642}};
constexpr Coefficients kGirls[13] = {
    {0.377, 22.750}, {0.458, 32.079}, {0.508, 38.367}, {0.561, 45.006}, {0.652, 56.992},
    {0.730, 68.091}, {0.803, 78.846}, {0.796, 76.934}, {0.655, 54.234}, {0.594, 43.264},
    {0.560, 37.002}, {0.578, 39.057}, {0.598, 42.339}};

bool parse_date(const std::string& s, int& y, int& m, int& d) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  return std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12 && d >= 1 &&
         d <= 31;
}

}  // namespace

std::optional<double> standard_weight(Sex sex, int age, double height) {
  if (age >= 5 && age <= 17) {
    const Coefficients c = (sex == Sex::Male ? kBoys : kGirls)[age - 5];
    return c.a * height - c.b;
  }
  if (age >= 1 && age < 5 && height >= 70 && height < 120) {
    return sex == Sex::Male ? 0.00206 * height * height - 0.1166 * height + 6.5273
                            : 0.00249 * height * height - 0.1858 * height + 9.0360;
  }
  return std::nullopt;
}

std::optional<double> obesity_degree(Sex sex, int age, double height, double weight) {
  auto standard = standard_weight(sex, age, height);
  if (!standard || *standard <= 0) return std::nullopt;
  return (weight - *standard) / *standard * 100.0;
}

std::optional<int> age_in_years(const std::string& birth, const std::string& on) {
  int by, bm, bd, y, m, d;
  if (!parse_date(birth, by, bm, bd) || !parse_date(on, y, m, d)) return std::nullopt;
  int age = y - by - ((m < bm || (m == bm && d < bd)) ? 1 : 0);
  if (age < 0) return std::nullopt;
  return age;
}

}  // namespace nanbyo::forms
