#include "labels.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <utility>

#include "svg.h"

namespace nebuta::report::detail {

namespace {

// English → Japanese, sorted by the English text (checked once below).
constexpr std::pair<std::string_view, std::string_view> japanese[] = {
    {" point(s)", " 地点"},
    {" ring(s), shown on the map", " 個の区域 (地図に表示)"},
    {"All runs", "全ケース"},
    {"Bins include their lower edge.", "各階級は下限を含みます。"},
    {"Cost per passenger", "1人当たり費用"},
    {"Detour", "迂回"},
    {"Detour factor of served requests", "乗車した依頼の迂回率"},
    {"Fleet", "車両"},
    {"Journeys", "移動"},
    {"Key performance indicators", "主要指標"},
    {"Map", "地図"},
    {"No requests.", "依頼はありません。"},
    {"No served requests, so no histogram.", "乗車した依頼がないため、ヒストグラムはありません。"},
    {"No vehicle events.", "車両の記録はありません。"},
    {"No vehicles.", "車両はありません。"},
    {"Number of vehicles busy and in service. A vehicle is busy while it carries passengers, and from a depot departure, drop-off or no-show whose next event is a pickup (or a no-show) until that event: driving to, or waiting at, its next pickup. It is in service from leaving its depot to returning there.",
     "稼働中と運行中の車両数。車両は、乗客を乗せている間と、車庫の出発・降車・無断キャンセルの後で次の記録が乗車 (または無断キャンセル) である場合のその記録まで (次の乗車地点へ向かう間、そこで待つ間) 稼働中です。運行中は車庫を出てから戻るまでです。"},
    {"Requests per hour", "時間帯別の依頼"},
    {"Requests per hour by status", "時間帯別・結果別の依頼数"},
    {"Rules", "運行ルール"},
    {"Served rate", "乗車率"},
    {"Simulation report", "シミュレーション報告書"},
    {"Summary", "要約"},
    {"Sweep report", "比較報告書"},
    {"The scenario has no rules object.", "シナリオに運行ルールがありません。"},
    {"Vehicles busy over the day", "時間帯別の稼働車両数"},
    {"Wait of served requests", "乗車した依頼の待ち時間"},
    {"Wait, 95th percentile", "待ち時間 (95パーセンタイル)"},
    {"Waiting time", "待ち時間"},
    {"bus cost per passenger", "バス 1人当たり費用"},
    {"bus farebox recovery", "バス 収支率"},
    {"bus public cost per passenger", "バス 1人当たり公的負担額"},
    {"bus vehicle-hours", "バス 運行時間"},
    {"bus vehicle-km", "バス 走行キロ"},
    {"busy", "稼働中"},
    {"cancelled", "取消"},
    {"connections kept", "乗り継ぎ成功"},
    {"connections kept, share", "乗り継ぎ成功率"},
    {"connections missed: dropped off too late", "乗り継ぎ失敗: 降車が遅れた"},
    {"connections missed: rider not at the pickup", "乗り継ぎ失敗: 乗車地点に不在"},
    {"cost", "運行費用"},
    {"cost per passenger", "1人当たり費用"},
    {"declined", "辞退"},
    {"detour factor, 95th percentile", "迂回率 (95パーセンタイル)"},
    {"detour factor, mean", "迂回率 (平均)"},
    {"door to door by transit, mean", "所要時間 路線バス等 (平均)"},
    {"door to door on demand, mean", "所要時間 デマンド交通 (平均)"},
    {"drop-offs", "降車地点"},
    {"empty km share", "回送距離の割合"},
    {"fare revenue", "運賃収入"},
    {"farebox recovery", "収支率"},
    {"hour of the earliest pickup time", "希望乗車時刻 (時)"},
    {"hours in service", "運行時間"},
    {"in service", "運行中"},
    {"indicator", "指標"},
    {"journeys", "移動件数"},
    {"journeys by transit only", "公共交通のみの移動"},
    {"journeys on demand door to door", "デマンド交通だけの移動 (ドア・ツー・ドア)"},
    {"journeys with an on-demand first and last mile", "両端ともデマンド交通の移動"},
    {"journeys with an on-demand first mile", "デマンド交通で駅・停留所へ向かう移動 (ファーストマイル)"},
    {"journeys with an on-demand last mile", "駅・停留所からデマンド交通で帰る移動 (ラストマイル)"},
    {"journeys with no option", "行く手段のない移動"},
    {"journeys with on demand, door to door, mean", "デマンド交通を使う移動の所要時間 (平均)"},
    {"km driven", "走行キロ"},
    {"km empty", "回送キロ"},
    {"mean", "平均"},
    {"meeting points", "乗降地点"},
    {"no-show", "無断キャンセル"},
    {"none", "なし"},
    {"occupancy", "平均乗車人数"},
    {"on-demand journeys transit cannot make", "公共交通だけでは行けないデマンド交通の移動"},
    {"open", "未完了"},
    {"origins not served", "乗れなかった出発地"},
    {"passengers carried", "輸送人員"},
    {"passengers per vehicle-hour", "1台1時間当たり輸送人員"},
    {"pickups", "乗車地点"},
    {"pooling rate (shared rides)", "相乗り率"},
    {"public cost per passenger", "1人当たり公的負担額"},
    {"range 5-95 %", "5〜95 %範囲"},
    {"rejected", "受付不可"},
    {"requests", "依頼数"},
    {"requests with no transit option that day", "当日に公共交通で行けない依頼"},
    {"requests without transit within the limit", "上限時間内に公共交通で行けない依頼"},
    {"ride time / direct time", "乗車時間 / 直行時間"},
    {"ride time, mean", "乗車時間 (平均)"},
    {"riders connected to transit", "公共交通に接続した利用者"},
    {"routes", "路線"},
    {"rule", "ルール"},
    {"seats", "座席数"},
    {"served", "乗車"},
    {"served rate", "乗車率"},
    {"service area", "運行区域"},
    {"share of journeys using on demand", "デマンド交通を使う移動の割合"},
    {"share on demand door to door", "ドア・ツー・ドアの割合"},
    {"share with an on-demand first mile", "ファーストマイルの割合"},
    {"share with an on-demand last mile", "ラストマイルの割合"},
    {"stations", "主な停留所・駅"},
    {"the same journeys by transit only, mean", "同じ移動を公共交通だけで (平均)"},
    {"time of day", "時刻"},
    {"time saved per journey, mean", "1移動当たりの短縮時間 (平均)"},
    {"train connections booked (first mile)", "予約された乗り継ぎ (ファーストマイル)"},
    {"transit door to door, mean", "公共交通の所要時間 (平均)"},
    {"transit rides, mean", "公共交通の乗車回数 (平均)"},
    {"value", "値"},
    {"vehicle", "車両"},
    {"vehicle utilisation", "車両稼働率"},
    {"vehicle-km per connected rider", "接続した利用者1人当たり走行キロ"},
    {"vehicles", "車両数"},
    {"wait (minutes)", "待ち時間 (分)"},
    {"wait, 95th percentile", "待ち時間 (95パーセンタイル)"},
    {"wait, maximum", "待ち時間 (最大)"},
    {"wait, mean", "待ち時間 (平均)"},
    {"wait, median", "待ち時間 (中央値)"},
    {"wheelchair spaces", "車いすスペース"},
};

constexpr bool sorted() {
  for (std::size_t i = 1; i < std::size(japanese); ++i) {
    if (!(japanese[i - 1].first < japanese[i].first)) return false;
  }
  return true;
}
static_assert(sorted(), "keep the Japanese table sorted by the English text");

}  // namespace

std::string words::operator()(std::string_view en) const {
  if (!ja_) return std::string{en};
  auto const it = std::lower_bound(std::begin(japanese), std::end(japanese), en,
                                   [](auto const& entry, std::string_view key) { return entry.first < key; });
  return it != std::end(japanese) && it->first == en ? std::string{it->second} : std::string{en};
}

std::string words::money(double amount, std::string_view currency) const {
  auto const whole = currency == "JPY" || currency == "KRW" || currency.empty();
  auto const number =
      whole ? with_separators(amount)
            : with_separators(std::trunc(amount)) + fixed(std::abs(amount - std::trunc(amount)), 2).substr(1);
  if (ja_ && currency == "JPY") return number + "円";
  return number + (currency.empty() ? "" : " " + std::string{currency});
}

std::string words::minutes(double seconds) const { return fixed(seconds / 60, 1) + (ja_ ? "分" : " min"); }

std::string words::duration(double seconds) const {
  return minutes(seconds) + (ja_ ? " (" + fixed(seconds, 0) + "秒)" : " (" + fixed(seconds, 0) + " s)");
}

std::string with_separators(double value) {
  auto digits = fixed(value, 0);
  auto const negative = digits.front() == '-';
  std::string out;
  auto const n = digits.size() - (negative ? 1 : 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ',';
    out += digits[i + (negative ? 1 : 0)];
  }
  return negative ? "-" + out : out;
}

}  // namespace nebuta::report::detail
