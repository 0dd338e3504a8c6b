// The list doctors and clerks work from (F-12, issue 18): the seed's columns
// (申請種別, 保険者番号/被保険者番号, アクセスキー, 氏名カナ, 生年月日, 性別,
// 告示番号/病名, 指定医氏名, 作成年月日/自治体連携日, ステータス/登録種別), the
// operations on each row (閲覧, 更新登録, 解除, データ出力), sortable columns and
// pages of 10 to 100 rows (表示件数/頁).
#pragma once

#include <string>

#include "appcore/core/forms_api.h"
#include "appcore/web/html.h"
#include "appcore/web/request_context.h"

namespace nanbyo::web {

// The list's criteria, order and page from the query string. `disease` is what was typed
// as 疾病 (matched against the catalog by the caller).
appcore::FormSearch read_form_list_query(const RequestContext& ctx);

// The criteria as a query string without the order and page, for the links.
std::string form_list_conditions(const RequestContext& ctx);

// 検索結果件数, 表示件数/頁, the table and the page links.
Html form_list_html(const RequestContext& ctx, const appcore::FormPage& page,
                    const appcore::FormSearch& query);

}  // namespace nanbyo::web
