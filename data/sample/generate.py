#!/usr/bin/env python3
"""Generate the Nebuta demo GTFS feed (Aomori prefecture, Japan).

This is our own invented demo data: station coordinates are real (to about
4 decimals), but every timetable here is made up to be *plausible*; it is not
an official timetable of any operator.

Usage:  python3 data/sample/generate.py        (writes the .txt files next to
this script).  The output is fully deterministic: no randomness, no clock,
stable ordering.  Python 3.8+ standard library only.
"""

import csv
import datetime as dt
import os

OUT_DIR = os.path.dirname(os.path.abspath(__file__))

FEED_START = "20260401"
FEED_END = "20270331"

# ---------------------------------------------------------------------------
# Names and their translations: name -> (ja-Hrkt, en, zh-Hans, ko)
# The "ja" translation is always the name itself.
# ---------------------------------------------------------------------------
NAMES = {
    # Aoimori Railway stations
    "青森": ("あおもり", "Aomori", "青森", "아오모리"),
    "筒井": ("つつい", "Tsutsui", "筒井", "쓰쓰이"),
    "東青森": ("ひがしあおもり", "Higashi-Aomori", "东青森", "히가시아오모리"),
    "小柳": ("こやなぎ", "Koyanagi", "小柳", "고야나기"),
    "矢田前": ("やだまえ", "Yadamae", "矢田前", "야다마에"),
    "野内": ("のない", "Nonai", "野内", "노나이"),
    "浅虫温泉": ("あさむしおんせん", "Asamushi-Onsen", "浅虫温泉", "아사무시온센"),
    "西平内": ("にしひらない", "Nishi-Hiranai", "西平内", "니시히라나이"),
    "小湊": ("こみなと", "Kominato", "小凑", "고미나토"),
    "清水川": ("しみずがわ", "Shimizugawa", "清水川", "시미즈가와"),
    "狩場沢": ("かりばさわ", "Karibasawa", "狩场泽", "가리바사와"),
    "野辺地": ("のへじ", "Noheji", "野边地", "노헤지"),
    "千曳": ("ちびき", "Chibiki", "千曳", "지비키"),
    "乙供": ("おっとも", "Ottomo", "乙供", "옷토모"),
    "上北町": ("かみきたちょう", "Kamikitacho", "上北町", "가미키타초"),
    "小川原": ("こがわら", "Kogawara", "小川原", "고가와라"),
    "三沢": ("みさわ", "Misawa", "三泽", "미사와"),
    "向山": ("むかいやま", "Mukaiyama", "向山", "무카이야마"),
    "下田": ("しもだ", "Shimoda", "下田", "시모다"),
    "陸奥市川": ("むついちかわ", "Mutsu-Ichikawa", "陆奥市川", "무쓰이치카와"),
    "八戸": ("はちのへ", "Hachinohe", "八户", "하치노헤"),
    # JR Hachinohe Line stations
    "長苗代": ("ながなわしろ", "Naganawashiro", "长苗代", "나가나와시로"),
    "本八戸": ("ほんはちのへ", "Hon-Hachinohe", "本八户", "혼하치노헤"),
    "小中野": ("こなかの", "Konakano", "小中野", "고나카노"),
    "陸奥湊": ("むつみなと", "Mutsu-Minato", "陆奥凑", "무쓰미나토"),
    "白銀": ("しろがね", "Shirogane", "白银", "시로가네"),
    "鮫": ("さめ", "Same", "鲛", "사메"),
    "陸奥白浜": ("むつしらはま", "Mutsu-Shirahama", "陆奥白滨", "무쓰시라하마"),
    "種差海岸": ("たねさしかいがん", "Tanesashi-Kaigan", "种差海岸", "다네사시카이간"),
    "大久喜": ("おおくき", "Okuki", "大久喜", "오쿠키"),
    "金浜": ("かねはま", "Kanehama", "金滨", "가네하마"),
    "大蛇": ("おおじゃ", "Oja", "大蛇", "오자"),
    "階上": ("はしかみ", "Hashikami", "阶上", "하시카미"),
    # JR Ou Line
    "新青森": ("しんあおもり", "Shin-Aomori", "新青森", "신아오모리"),
    # Bus stops
    "青森駅前": ("あおもりえきまえ", "Aomori Station", "青森站前", "아오모리역 앞"),
    "新青森駅南口": ("しんあおもりえきみなみぐち", "Shin-Aomori Station (South Exit)",
                 "新青森站南口", "신아오모리역 남쪽 출구"),
    "三内丸山遺跡": ("さんないまるやまいせき", "Sannai-Maruyama Site",
                 "三内丸山遗址", "산나이마루야마 유적"),
    "青森空港": ("あおもりくうこう", "Aomori Airport", "青森机场", "아오모리 공항"),
    "ねぶたの家ワ・ラッセ": ("ねぶたのいえわらっせ", "Nebuta Museum Wa Rasse",
                   "睡魔之家 WA RASSE", "네부타의 집 와랏세"),
    "青森県観光物産館アスパム": ("あおもりけんかんこうぶっさんかんあすぱむ",
                     "ASPAM (Aomori Prefecture Tourist Center)",
                     "青森县观光物产馆 ASPAM", "아오모리현 관광물산관 아스팜"),
    # Agencies
    "青い森鉄道": ("あおいもりてつどう", "Aoimori Railway", "青之森铁道", "아오이모리 철도"),
    "JR東日本": ("じぇいあーるひがしにほん", "JR East", "JR东日本", "JR 동일본"),
    "青森市営バス": ("あおもりしえいばす", "Aomori City Bus", "青森市营巴士", "아오모리 시영버스"),
    # Routes
    "青い森鉄道線": ("あおいもりてつどうせん", "Aoimori Railway Line", "青之森铁道线",
                "아오이모리 철도선"),
    "八戸線": ("はちのへせん", "Hachinohe Line", "八户线", "하치노헤선"),
    "奥羽本線": ("おううほんせん", "Ou Line", "奥羽本线", "오우 본선"),
    "新青森駅・三内丸山遺跡線": ("しんあおもりえき・さんないまるやまいせきせん",
                     "Shin-Aomori Station & Sannai-Maruyama Site Line",
                     "新青森站・三内丸山遗址线", "신아오모리역·산나이마루야마 유적선"),
    "青森空港連絡バス": ("あおもりくうこうれんらくばす", "Aomori Airport Limousine Bus",
                 "青森机场联络巴士", "아오모리 공항 연결 버스"),
    "ワ・ラッセ・アスパム循環": ("わらっせ・あすぱむじゅんかん", "Wa Rasse & ASPAM Loop",
                     "WA RASSE・ASPAM 循环线", "와랏세·아스팜 순환선"),
    # stop_headsign values
    "新青森駅経由 三内丸山遺跡": ("しんあおもりえきけいゆ さんないまるやまいせき",
                      "Sannai-Maruyama Site via Shin-Aomori Station",
                      "经由新青森站 开往三内丸山遗址", "신아오모리역 경유 산나이마루야마 유적"),
    "新青森駅経由 青森空港": ("しんあおもりえきけいゆ あおもりくうこう",
                    "Aomori Airport via Shin-Aomori Station",
                    "经由新青森站 开往青森机场", "신아오모리역 경유 아오모리 공항"),
    "種差海岸・階上方面": ("たねさしかいがん・はしかみほうめん",
                  "For Tanesashi-Kaigan and Hashikami",
                  "开往种差海岸・阶上方向", "다네사시카이간·하시카미 방면"),
}

# ---------------------------------------------------------------------------
# Agencies, routes
# ---------------------------------------------------------------------------
AGENCIES = [
    # agency_id, name, url
    ("aoimori", "青い森鉄道", "https://aoimorirailway.com/"),
    ("jreast", "JR東日本", "https://www.jreast.co.jp/"),
    ("aomori_citybus", "青森市営バス", "https://www.city.aomori.aomori.jp/"),
]

ROUTES = [
    # route_id, agency_id, long_name, route_type, color, text_color
    ("aoimori_line", "aoimori", "青い森鉄道線", 2, "0072BC", "FFFFFF"),
    ("jr_hachinohe_line", "jreast", "八戸線", 2, "00A7DB", "FFFFFF"),
    ("jr_ou_line", "jreast", "奥羽本線", 2, "008000", "FFFFFF"),
    ("bus_sannai", "aomori_citybus", "新青森駅・三内丸山遺跡線", 3, "2E8B57", "FFFFFF"),
    ("bus_airport", "aomori_citybus", "青森空港連絡バス", 3, "1D3F8F", "FFFFFF"),
    ("bus_loop", "aomori_citybus", "ワ・ラッセ・アスパム循環", 3, "E60012", "FFFFFF"),
]

# ---------------------------------------------------------------------------
# Stops.  (stop_id, name, lat, lon, location_type, parent, platform_code,
#          wheelchair_boarding)
# Coordinates: real station / landmark positions, rounded to 4 decimals.
# ---------------------------------------------------------------------------
STOPS = [
    # parent stations
    ("aomori", "青森", 40.8286, 140.7346, 1, "", "", 1),
    ("shin_aomori", "新青森", 40.8272, 140.6937, 1, "", "", 1),
    ("hachinohe", "八戸", 40.5092, 141.4312, 1, "", "", 1),
    # platforms
    ("aomori_1", "青森", 40.8288, 140.7343, 0, "aomori", "1", 1),
    ("aomori_2", "青森", 40.8287, 140.7341, 0, "aomori", "2", 1),
    ("aomori_5", "青森", 40.8284, 140.7338, 0, "aomori", "5", 1),
    ("shin_aomori_1", "新青森", 40.8274, 140.6939, 0, "shin_aomori", "1", 1),
    ("shin_aomori_2", "新青森", 40.8273, 140.6935, 0, "shin_aomori", "2", 1),
    ("hachinohe_1", "八戸", 40.5094, 141.4309, 0, "hachinohe", "1", 1),
    ("hachinohe_2", "八戸", 40.5093, 141.4307, 0, "hachinohe", "2", 1),
    ("hachinohe_4", "八戸", 40.5089, 141.4305, 0, "hachinohe", "4", 1),
    # Aoimori Railway intermediate stations
    ("tsutsui", "筒井", 40.8057, 140.7696, 0, "", "", 1),
    ("higashi_aomori", "東青森", 40.8107, 140.7835, 0, "", "", 1),
    ("koyanagi", "小柳", 40.8179, 140.7977, 0, "", "", 2),
    ("yadamae", "矢田前", 40.8341, 140.8073, 0, "", "", 2),
    ("nonai", "野内", 40.8460, 140.8167, 0, "", "", 2),
    ("asamushi_onsen", "浅虫温泉", 40.8915, 140.8625, 0, "", "", 1),
    ("nishi_hiranai", "西平内", 40.9182, 140.9131, 0, "", "", 0),
    ("kominato", "小湊", 40.9297, 140.9540, 0, "", "", 1),
    ("shimizugawa", "清水川", 40.9217, 141.0248, 0, "", "", 0),
    ("karibasawa", "狩場沢", 40.9005, 141.0711, 0, "", "", 2),
    ("noheji", "野辺地", 40.8553, 141.1195, 0, "", "", 1),
    ("chibiki", "千曳", 40.8045, 141.1529, 0, "", "", 2),
    ("ottomo", "乙供", 40.7800, 141.2132, 0, "", "", 0),
    ("kamikitacho", "上北町", 40.7332, 141.2645, 0, "", "", 1),
    ("kogawara", "小川原", 40.7098, 141.3000, 0, "", "", 2),
    ("misawa", "三沢", 40.6688, 141.3539, 0, "", "", 1),
    ("mukaiyama", "向山", 40.6302, 141.3703, 0, "", "", 2),
    ("shimoda", "下田", 40.5919, 141.4077, 0, "", "", 1),
    ("mutsu_ichikawa", "陸奥市川", 40.5630, 141.4392, 0, "", "", 0),
    # JR Hachinohe Line intermediate stations
    ("naganawashiro", "長苗代", 40.5214, 141.4659, 0, "", "", 2),
    ("hon_hachinohe", "本八戸", 40.5163, 141.4889, 0, "", "", 1),
    ("konakano", "小中野", 40.5187, 141.5102, 0, "", "", 0),
    ("mutsu_minato", "陸奥湊", 40.5231, 141.5274, 0, "", "", 1),
    ("shirogane", "白銀", 40.5220, 141.5417, 0, "", "", 0),
    ("same", "鮫", 40.5302, 141.5550, 0, "", "", 1),
    ("mutsu_shirahama", "陸奥白浜", 40.5166, 141.5923, 0, "", "", 2),
    ("tanesashi_kaigan", "種差海岸", 40.5069, 141.6074, 0, "", "", 1),
    ("okuki", "大久喜", 40.4951, 141.6230, 0, "", "", 2),
    ("kanehama", "金浜", 40.4761, 141.6375, 0, "", "", 2),
    ("oja", "大蛇", 40.4672, 141.6509, 0, "", "", 2),
    ("hashikami", "階上", 40.4570, 141.6649, 0, "", "", 1),
    # Aomori City Bus stops (separate from the rail stations)
    ("bus_aomori_eki_1", "青森駅前", 40.8289, 140.7357, 0, "", "1", 1),
    ("bus_aomori_eki_3", "青森駅前", 40.8285, 140.7355, 0, "", "3", 1),
    ("bus_aomori_eki_11", "青森駅前", 40.8281, 140.7352, 0, "", "11", 1),
    ("bus_shin_aomori_south", "新青森駅南口", 40.8262, 140.6939, 0, "", "2", 1),
    ("bus_sannai_maruyama", "三内丸山遺跡", 40.8117, 140.6965, 0, "", "", 1),
    ("bus_aomori_airport", "青森空港", 40.7353, 140.6911, 0, "", "1", 1),
    ("bus_warasse", "ねぶたの家ワ・ラッセ", 40.8296, 140.7365, 0, "", "", 1),
    ("bus_aspam", "青森県観光物産館アスパム", 40.8316, 140.7408, 0, "", "", 1),
]
STOP_NAME = {s[0]: s[1] for s in STOPS}

# ---------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------
WD, SA, SU = "WEEKDAY", "SATURDAY", "SUNDAY_HOLIDAY"
SVC_SHORT = {WD: "WD", SA: "SA", SU: "SU"}

# Japanese national holidays (and substitute / citizens' holidays) inside the
# feed validity period 2026-04-01 .. 2027-03-31.
HOLIDAYS = [
    ("2026-04-29", "昭和の日"),
    ("2026-05-03", "憲法記念日"),
    ("2026-05-04", "みどりの日"),
    ("2026-05-05", "こどもの日"),
    ("2026-05-06", "振替休日"),
    ("2026-07-20", "海の日"),
    ("2026-08-11", "山の日"),
    ("2026-09-21", "敬老の日"),
    ("2026-09-22", "国民の休日"),
    ("2026-09-23", "秋分の日"),
    ("2026-10-12", "スポーツの日"),
    ("2026-11-03", "文化の日"),
    ("2026-11-23", "勤労感謝の日"),
    ("2027-01-01", "元日"),
    ("2027-01-11", "成人の日"),
    ("2027-02-11", "建国記念の日"),
    ("2027-02-23", "天皇誕生日"),
    ("2027-03-21", "春分の日"),
    ("2027-03-22", "振替休日"),
]

# ---------------------------------------------------------------------------
# Time helpers
# ---------------------------------------------------------------------------

def hm(s):
    """'08:05' -> minutes after midnight."""
    h, m = s.split(":")
    return int(h) * 60 + int(m)


def fmt(minutes):
    """minutes -> 'HH:MM:SS' (hours may exceed 23)."""
    return "%02d:%02d:00" % (minutes // 60, minutes % 60)


# A pattern is a list of (stop_id, arrival_offset, departure_offset) in
# minutes from the trip's first departure.  None offsets = untimed stop
# (timepoint=0, empty arrival/departure: consumers must interpolate).

def build_pattern(stop_ids, run_min, dwell=None, untimed=()):
    """stop_ids: n stops; run_min: n-1 running times; dwell: {stop_id: min}."""
    assert len(run_min) == len(stop_ids) - 1
    dwell = dwell or {}
    pat = []
    t = 0
    for i, sid in enumerate(stop_ids):
        if i > 0:
            t += run_min[i - 1]
        arr = t
        if 0 < i < len(stop_ids) - 1:
            t += dwell.get(sid, 0)
        dep = t
        if sid in untimed:
            pat.append((sid, None, None))
        else:
            pat.append((sid, arr, dep))
    return pat


# --- Aoimori Railway: 青森 -> 八戸 -----------------------------------------
AOI_STOPS_S = ["aomori_1", "tsutsui", "higashi_aomori", "koyanagi", "yadamae",
               "nonai", "asamushi_onsen", "nishi_hiranai", "kominato",
               "shimizugawa", "karibasawa", "noheji", "chibiki", "ottomo",
               "kamikitacho", "kogawara", "misawa", "mukaiyama", "shimoda",
               "mutsu_ichikawa", "hachinohe_2"]
AOI_RUN_S = [5, 3, 3, 3, 3, 8, 6, 4, 6, 4, 7, 5, 6, 6, 4, 5, 4, 5, 4, 6]
AOI_DWELL = {"asamushi_onsen": 1, "noheji": 2, "misawa": 1}
AOI_STOPS_N = ["hachinohe_1"] + AOI_STOPS_S[1:-1][::-1] + ["aomori_2"]
AOI_RUN_N = AOI_RUN_S[::-1]

AOI_S = build_pattern(AOI_STOPS_S, AOI_RUN_S, AOI_DWELL)
AOI_N = build_pattern(AOI_STOPS_N, AOI_RUN_N, AOI_DWELL)
# short workings 青森 <-> 野辺地
_ni = AOI_STOPS_S.index("noheji")
AOI_S_NOHEJI = build_pattern(AOI_STOPS_S[:_ni + 1], AOI_RUN_S[:_ni], AOI_DWELL)
_nj = AOI_STOPS_N.index("noheji")
AOI_N_NOHEJI = build_pattern(AOI_STOPS_N[_nj:], AOI_RUN_N[_nj:], AOI_DWELL)

# --- JR Hachinohe Line: 八戸 -> 階上 ---------------------------------------
JRH_STOPS_O = ["hachinohe_4", "naganawashiro", "hon_hachinohe", "konakano",
               "mutsu_minato", "shirogane", "same", "mutsu_shirahama",
               "tanesashi_kaigan", "okuki", "kanehama", "oja", "hashikami"]
JRH_RUN_O = [3, 4, 3, 3, 3, 3, 5, 3, 3, 4, 3, 3]
JRH_DWELL = {"same": 1}
JRH_UNTIMED = ("naganawashiro",)   # exercises interpolation
JRH_STOPS_I = JRH_STOPS_O[::-1]
JRH_RUN_I = JRH_RUN_O[::-1]
JRH_O = build_pattern(JRH_STOPS_O, JRH_RUN_O, JRH_DWELL, JRH_UNTIMED)
JRH_I = build_pattern(JRH_STOPS_I, JRH_RUN_I, JRH_DWELL, JRH_UNTIMED)
_si = JRH_STOPS_O.index("same")
JRH_O_SAME = build_pattern(JRH_STOPS_O[:_si + 1], JRH_RUN_O[:_si], JRH_DWELL, JRH_UNTIMED)
_sj = JRH_STOPS_I.index("same")
JRH_I_SAME = build_pattern(JRH_STOPS_I[_sj:], JRH_RUN_I[_sj:], JRH_DWELL, JRH_UNTIMED)

# --- JR Ou Line: 青森 <-> 新青森 --------------------------------------------
JRO_O = build_pattern(["aomori_5", "shin_aomori_2"], [6])
JRO_I = build_pattern(["shin_aomori_1", "aomori_5"], [6])

# --- Bus: 青森駅前 -> 新青森駅南口 -> 三内丸山遺跡 ---------------------------
B1_O = build_pattern(["bus_aomori_eki_3", "bus_shin_aomori_south", "bus_sannai_maruyama"], [20, 10])
B1_I = build_pattern(["bus_sannai_maruyama", "bus_shin_aomori_south", "bus_aomori_eki_3"], [10, 20])

# --- Bus: 青森駅前 -> 新青森駅南口 -> 青森空港 -------------------------------
B2_O = build_pattern(["bus_aomori_eki_11", "bus_shin_aomori_south", "bus_aomori_airport"], [15, 25])
B2_I = build_pattern(["bus_aomori_airport", "bus_shin_aomori_south", "bus_aomori_eki_11"], [25, 15])

# --- Bus loop (frequency based) ---------------------------------------------
LOOP = build_pattern(["bus_aomori_eki_1", "bus_warasse", "bus_aspam", "bus_aomori_eki_1"], [3, 4, 6])

# ---------------------------------------------------------------------------
# Timetables.  Each entry: (start "HH:MM", pattern, headsign, wheelchair)
# wheelchair_accessible: 1 = accessible, 2 = not accessible.
# ---------------------------------------------------------------------------

def aoi(times, pattern, headsign, not_accessible=()):
    return [(t, pattern, headsign, 2 if t in not_accessible else 1) for t in times]


TIMETABLE = {}  # (route_id, direction_id) -> {service: [entries]}

TIMETABLE[("aoimori_line", 0)] = {
    WD: aoi(["06:05", "07:00", "08:00", "09:15", "10:40", "12:05", "13:30",
             "14:55", "16:10", "17:20", "18:25", "19:40", "21:05", "22:34"],
            AOI_S, "八戸", not_accessible=("06:05", "17:20"))
        + aoi(["17:50"], AOI_S_NOHEJI, "野辺地"),
    SA: aoi(["06:05", "07:30", "09:15", "10:40", "12:05", "13:30", "14:55",
             "16:10", "17:50", "19:40", "22:34"], AOI_S, "八戸",
            not_accessible=("06:05",)),
    SU: aoi(["07:30", "09:15", "10:40", "12:05", "13:30", "14:55", "16:10",
             "17:50", "19:40", "21:05"], AOI_S, "八戸"),
}
TIMETABLE[("aoimori_line", 1)] = {
    WD: aoi(["05:45", "06:30", "07:15", "08:05", "09:20", "10:45", "12:10",
             "13:35", "15:00", "16:20", "17:30", "18:40", "19:55", "21:20"],
            AOI_N, "青森", not_accessible=("06:30", "16:20"))
        + aoi(["06:40"], AOI_N_NOHEJI, "青森"),
    SA: aoi(["05:45", "07:15", "08:05", "09:20", "10:45", "12:10", "13:35",
             "15:00", "16:20", "17:30", "19:55"], AOI_N, "青森",
            not_accessible=("16:20",)),
    SU: aoi(["07:15", "08:05", "09:20", "10:45", "12:10", "13:35", "15:00",
             "16:20", "17:30", "19:55"], AOI_N, "青森"),
}


def jrh_out(spec):
    """spec: list of (time, 'H'|'S', wheelchair)."""
    out = []
    for t, dest, wc in spec:
        if dest == "H":
            out.append((t, JRH_O, "階上", wc))
        else:
            out.append((t, JRH_O_SAME, "鮫", wc))
    return out


def jrh_in(spec):
    out = []
    for t, origin, wc in spec:
        out.append((t, JRH_I if origin == "H" else JRH_I_SAME, "八戸", wc))
    return out


_JRH_O_WEEKEND = [("06:50", "H", 1), ("09:20", "H", 1), ("11:05", "H", 1),
                  ("12:30", "H", 2), ("13:55", "H", 1), ("15:20", "H", 1),
                  ("16:45", "S", 2), ("18:00", "S", 1)]
_JRH_I_WEEKEND = [("07:13", "H", 1), ("08:28", "H", 1), ("11:18", "H", 2),
                  ("12:43", "H", 1), ("14:08", "H", 1), ("15:28", "H", 1),
                  ("16:38", "H", 2), ("19:26", "S", 1)]
TIMETABLE[("jr_hachinohe_line", 0)] = {
    WD: jrh_out([("06:15", "H", 1), ("07:55", "S", 2), ("08:50", "H", 1),
                 ("09:50", "H", 2), ("11:05", "H", 1), ("12:30", "H", 2),
                 ("13:55", "S", 1), ("15:20", "H", 1), ("16:45", "H", 2),
                 ("19:10", "S", 1)]),
    SA: jrh_out(_JRH_O_WEEKEND),
    SU: jrh_out(_JRH_O_WEEKEND),
}
TIMETABLE[("jr_hachinohe_line", 1)] = {
    WD: jrh_in([("06:23", "H", 1), ("07:13", "H", 2), ("09:53", "H", 1),
                ("11:18", "H", 2), ("14:08", "H", 1), ("15:28", "H", 1),
                ("16:38", "H", 2), ("17:48", "H", 1), ("19:26", "S", 1),
                ("20:51", "S", 2)]),
    SA: jrh_in(_JRH_I_WEEKEND),
    SU: jrh_in(_JRH_I_WEEKEND),
}


def simple(times, pattern, headsign, wc_of=lambda i, t: 1):
    return [(t, pattern, headsign, wc_of(i, t)) for i, t in enumerate(times)]


_JRO_O_WD = ["06:20", "07:12", "07:58", "08:45", "09:40", "11:05", "12:35",
             "14:05", "15:35", "17:05", "18:25", "19:50"]
_JRO_I_WD = ["06:42", "07:30", "08:15", "09:05", "10:00", "11:28", "12:58",
             "14:28", "15:58", "17:28", "18:48", "20:12"]
_JRO_O_WE = ["07:12", "08:45", "09:40", "11:05", "12:35", "14:05", "15:35",
             "17:05", "18:25", "19:50"]
_JRO_I_WE = ["07:30", "09:05", "10:00", "11:28", "12:58", "14:28", "15:58",
             "17:28", "18:48", "20:12"]
_jro_wc = lambda i, t: 2 if t in ("07:58", "15:58") else 1
TIMETABLE[("jr_ou_line", 0)] = {
    WD: simple(_JRO_O_WD, JRO_O, "新青森", _jro_wc),
    SA: simple(_JRO_O_WE, JRO_O, "新青森", _jro_wc),
    SU: simple(_JRO_O_WE, JRO_O, "新青森", _jro_wc),
}
TIMETABLE[("jr_ou_line", 1)] = {
    WD: simple(_JRO_I_WD, JRO_I, "青森", _jro_wc),
    SA: simple(_JRO_I_WE, JRO_I, "青森", _jro_wc),
    SU: simple(_JRO_I_WE, JRO_I, "青森", _jro_wc),
}

# city buses: alternate low-floor (1) and older high-floor (2) vehicles
_alt = lambda i, t: 1 if i % 2 == 0 else 2
_B1_O_WD = ["07:40", "08:25", "09:10", "10:00", "11:15", "12:40", "14:05",
            "15:30", "16:55", "18:15", "19:25"]
_B1_O_WE = ["08:25", "09:10", "10:00", "11:15", "12:40", "14:05", "15:30",
            "16:55", "18:15"]
_B1_I_WD = ["07:15", "08:30", "09:55", "11:20", "12:45", "14:10", "15:25",
            "16:35", "17:40", "18:55"]
_B1_I_WE = ["08:30", "09:55", "11:20", "12:45", "14:10", "15:25", "16:35",
            "17:40", "18:55"]
TIMETABLE[("bus_sannai", 0)] = {
    WD: simple(_B1_O_WD, B1_O, "三内丸山遺跡", _alt),
    SA: simple(_B1_O_WE, B1_O, "三内丸山遺跡", _alt),
    SU: simple(_B1_O_WE, B1_O, "三内丸山遺跡", _alt),
}
TIMETABLE[("bus_sannai", 1)] = {
    WD: simple(_B1_I_WD, B1_I, "青森駅前", _alt),
    SA: simple(_B1_I_WE, B1_I, "青森駅前", _alt),
    SU: simple(_B1_I_WE, B1_I, "青森駅前", _alt),
}

# airport limousine: same timetable every day (it follows the flights);
# coaches with a wheelchair lift on every third departure only
_lift = lambda i, t: 1 if i % 3 == 0 else 2
_B2_O = ["06:40", "07:50", "09:00", "10:10", "11:30", "12:50", "14:10",
         "15:40", "17:00", "18:20"]
_B2_I = ["08:25", "09:45", "11:00", "12:15", "13:40", "15:00", "16:30",
         "17:50", "19:15", "20:40"]
TIMETABLE[("bus_airport", 0)] = {s: simple(_B2_O, B2_O, "青森空港", _lift) for s in (WD, SA, SU)}
TIMETABLE[("bus_airport", 1)] = {s: simple(_B2_I, B2_I, "青森駅前", _lift) for s in (WD, SA, SU)}

# frequency-based loop: one template trip per service, starting 09:00
TIMETABLE[("bus_loop", 0)] = {s: [("09:00", LOOP, "ワ・ラッセ・アスパム循環", 1)] for s in (WD, SA, SU)}
FREQUENCIES = {  # service -> (start, end, headway_secs)
    WD: ("09:00:00", "18:00:00", 1200),
    SA: ("09:00:00", "18:00:00", 900),
    SU: ("09:00:00", "18:00:00", 900),
}

# stop_headsign overrides: (route_id, direction, headsign, stop_id) -> text
STOP_HEADSIGNS = {
    ("bus_sannai", 0, "三内丸山遺跡", "bus_aomori_eki_3"): "新青森駅経由 三内丸山遺跡",
    ("bus_airport", 0, "青森空港", "bus_aomori_eki_11"): "新青森駅経由 青森空港",
    ("jr_hachinohe_line", 0, "階上", "hachinohe_4"): "種差海岸・階上方面",
    ("jr_hachinohe_line", 0, "階上", "hon_hachinohe"): "種差海岸・階上方面",
}

TRIP_PREFIX = {
    ("aoimori_line", 0): "AOI_S", ("aoimori_line", 1): "AOI_N",
    ("jr_hachinohe_line", 0): "JRH_O", ("jr_hachinohe_line", 1): "JRH_I",
    ("jr_ou_line", 0): "JRO_O", ("jr_ou_line", 1): "JRO_I",
    ("bus_sannai", 0): "B1_O", ("bus_sannai", 1): "B1_I",
    ("bus_airport", 0): "B2_O", ("bus_airport", 1): "B2_I",
    ("bus_loop", 0): "LOOP",
}

# ---------------------------------------------------------------------------
# Transfers
# ---------------------------------------------------------------------------
TRANSFERS = []


def both(a, b, secs):
    TRANSFERS.append((a, b, 2, secs))
    TRANSFERS.append((b, a, 2, secs))


# same-platform minimum change time
for p in ["aomori_1", "aomori_2", "aomori_5", "shin_aomori_1", "shin_aomori_2",
          "hachinohe_1", "hachinohe_2", "hachinohe_4"]:
    TRANSFERS.append((p, p, 2, 120))
# between platforms of the same station
both("aomori_1", "aomori_2", 120)
both("aomori_1", "aomori_5", 180)
both("aomori_2", "aomori_5", 180)
both("shin_aomori_1", "shin_aomori_2", 120)
both("hachinohe_1", "hachinohe_2", 120)
both("hachinohe_1", "hachinohe_4", 240)
both("hachinohe_2", "hachinohe_4", 240)
# bus stops <-> platforms (footpaths)
for b in ["bus_aomori_eki_1", "bus_aomori_eki_3", "bus_aomori_eki_11"]:
    for p in ["aomori_1", "aomori_2", "aomori_5"]:
        both(b, p, 240)
both("bus_aomori_eki_1", "bus_aomori_eki_3", 60)
both("bus_aomori_eki_1", "bus_aomori_eki_11", 120)
both("bus_aomori_eki_3", "bus_aomori_eki_11", 90)
for p in ["shin_aomori_1", "shin_aomori_2"]:
    both("bus_shin_aomori_south", p, 300)

# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------

def write(name, header, rows):
    path = os.path.join(OUT_DIR, name)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])
    return len(rows)


def main():
    counts = {}
    counts["agency.txt"] = write(
        "agency.txt",
        ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
        [(a, n, u, "Asia/Tokyo", "ja") for a, n, u in AGENCIES])

    counts["agency_jp.txt"] = write(
        "agency_jp.txt",
        ["agency_id", "agency_official_name", "agency_zip_number", "agency_address",
         "agency_president_pos", "agency_president_name"],
        [("aomori_citybus", "青森市企業局交通部", "0308555",
          "青森県青森市中央一丁目22番5号", "", "")])

    counts["feed_info.txt"] = write(
        "feed_info.txt",
        ["feed_publisher_name", "feed_publisher_url", "feed_lang", "feed_start_date",
         "feed_end_date", "feed_version"],
        [("Nebuta project", "https://example.org/nebuta/", "ja", FEED_START, FEED_END,
          "2026.04-demo.1")])

    counts["stops.txt"] = write(
        "stops.txt",
        ["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type",
         "parent_station", "platform_code", "wheelchair_boarding"],
        [(sid, name, "%.4f" % lat, "%.4f" % lon, lt, parent, pc, wc)
         for sid, name, lat, lon, lt, parent, pc, wc in STOPS])

    counts["routes.txt"] = write(
        "routes.txt",
        ["route_id", "agency_id", "route_short_name", "route_long_name", "route_type",
         "route_color", "route_text_color"],
        [(rid, aid, "", ln, rt, c, tc) for rid, aid, ln, rt, c, tc in ROUTES])

    counts["calendar.txt"] = write(
        "calendar.txt",
        ["service_id", "monday", "tuesday", "wednesday", "thursday", "friday",
         "saturday", "sunday", "start_date", "end_date"],
        [(WD, 1, 1, 1, 1, 1, 0, 0, FEED_START, FEED_END),
         (SA, 0, 0, 0, 0, 0, 1, 0, FEED_START, FEED_END),
         (SU, 0, 0, 0, 0, 0, 0, 1, FEED_START, FEED_END)])

    cal_dates = []
    for day, _name in HOLIDAYS:
        d = dt.date.fromisoformat(day)
        ymd = d.strftime("%Y%m%d")
        wd = d.weekday()  # Mon=0 .. Sun=6
        if wd <= 4:
            cal_dates.append((WD, ymd, 2))
            cal_dates.append((SU, ymd, 1))
        elif wd == 5:
            cal_dates.append((SA, ymd, 2))
            cal_dates.append((SU, ymd, 1))
        # Sunday: the Sunday/holiday service already runs
    counts["calendar_dates.txt"] = write(
        "calendar_dates.txt", ["service_id", "date", "exception_type"], cal_dates)

    trips, stop_times, freqs = [], [], []
    used_headsigns = []
    used_stop_headsigns = []
    route_order = [r[0] for r in ROUTES]
    for (rid, direction) in sorted(TIMETABLE, key=lambda k: (route_order.index(k[0]), k[1])):
        for svc in (WD, SA, SU):
            entries = sorted(TIMETABLE[(rid, direction)].get(svc, []), key=lambda e: hm(e[0]))
            for start, pattern, headsign, wc in entries:
                tid = "%s_%s_%s" % (TRIP_PREFIX[(rid, direction)], SVC_SHORT[svc],
                                    start.replace(":", ""))
                if rid == "aoimori_line" and (pattern is AOI_S_NOHEJI or pattern is AOI_N_NOHEJI):
                    tid += "_NOHEJI"
                if rid == "jr_hachinohe_line" and (pattern is JRH_O_SAME or pattern is JRH_I_SAME):
                    tid += "_SAME"
                trips.append((rid, svc, tid, headsign, direction, wc))
                if headsign not in used_headsigns:
                    used_headsigns.append(headsign)
                t0 = hm(start)
                for seq, (sid, arr, dep) in enumerate(pattern, start=1):
                    sh = STOP_HEADSIGNS.get((rid, direction, headsign, sid), "")
                    if sh and sh not in used_stop_headsigns:
                        used_stop_headsigns.append(sh)
                    if arr is None:
                        stop_times.append((tid, "", "", sid, seq, sh, 0))
                    else:
                        stop_times.append((tid, fmt(t0 + arr), fmt(t0 + dep), sid, seq, sh, 1))
                if rid == "bus_loop":
                    s, e, h = FREQUENCIES[svc]
                    freqs.append((tid, s, e, h, 0))

    counts["trips.txt"] = write(
        "trips.txt",
        ["route_id", "service_id", "trip_id", "trip_headsign", "direction_id",
         "wheelchair_accessible"], trips)
    counts["stop_times.txt"] = write(
        "stop_times.txt",
        ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence",
         "stop_headsign", "timepoint"], stop_times)
    counts["frequencies.txt"] = write(
        "frequencies.txt",
        ["trip_id", "start_time", "end_time", "headway_secs", "exact_times"], freqs)
    counts["transfers.txt"] = write(
        "transfers.txt",
        ["from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time"], TRANSFERS)

    # translations ----------------------------------------------------------
    tr = []

    def add(table, field, name, record_id="", field_value=""):
        hrkt, en, zh, ko = NAMES[name]
        for lang, text in (("ja", name), ("ja-Hrkt", hrkt), ("en", en),
                           ("zh-Hans", zh), ("ko", ko)):
            tr.append((table, field, lang, text, record_id, "", field_value))

    for aid, name, _u in AGENCIES:
        add("agency", "agency_name", name, record_id=aid)
    for rid, _a, ln, _t, _c, _tc in ROUTES:
        add("routes", "route_long_name", ln, record_id=rid)
    for sid, name, *_rest in STOPS:
        add("stops", "stop_name", name, record_id=sid)
    for h in used_headsigns:
        add("trips", "trip_headsign", h, field_value=h)
    for h in used_stop_headsigns:
        add("stop_times", "stop_headsign", h, field_value=h)
    counts["translations.txt"] = write(
        "translations.txt",
        ["table_name", "field_name", "language", "translation", "record_id",
         "record_sub_id", "field_value"], tr)

    for k in sorted(counts):
        print("%-20s %5d rows" % (k, counts[k]))


if __name__ == "__main__":
    main()
