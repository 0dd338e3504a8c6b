// The Japanese standard weight for children (標準体重) and the obesity degree
// (肥満度 = (実測体重 − 標準体重) / 標準体重 × 100 %).
//
// School age, 5–17 years: 性別・年齢別・身長別標準体重 = a × 身長(cm) − b, with
// the coefficients published from the 2000 school health statistics
// (文部科学省 平成12年度学校保健統計調査) and used by 日本小児内分泌学会
// (http://jspe.umin.jp/medical/taikaku.html, 「日本人小児の体格の評価」) and
// 日本学校保健会「児童生徒等の健康診断マニュアル」.
// Pre-school, 1–5 years and 70–120 cm: 幼児の身長別標準体重 (2000 乳幼児身体
// 発育調査): boys 0.00206X² − 0.1166X + 6.5273, girls 0.00249X² − 0.1858X
// + 9.0360 (X = height in cm), as in 厚生労働省「乳幼児身体発育評価マニュアル」.
// Ages 5 use the school-age formula (the table starts at 5).
#pragma once

#include <optional>
#include <string>

namespace nanbyo::forms {

enum class Sex { Male, Female };

// kg; nullopt when no published formula covers the age or height.
std::optional<double> standard_weight(Sex sex, int age_years, double height_cm);
// %, nullopt when the standard weight is not defined.
std::optional<double> obesity_degree(Sex sex, int age_years, double height_cm, double weight_kg);

// Completed years (満年齢) between two ISO dates; nullopt for bad dates or a negative age.
std::optional<int> age_in_years(const std::string& birth_date, const std::string& on);

}  // namespace nanbyo::forms
