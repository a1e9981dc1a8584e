#include "nebuta/search/words.h"

namespace nebuta::search {
namespace {

// Written by us. Only words that describe a place are here, not words that are part of proper
// names (島 island, 山 mountain, 川 river stay in the name: 蕪島 is "Kabushima", not "Kabu
// island"). Latin forms are lower case, phrases with single spaces; "elem sch" is how the
// Hachinohe feed abbreviates 小学校 ("Elem.Sch.").
constexpr place_word words[] = {
    {"station", "駅|站|車站|车站|驿|驛|停車場", "えき", "station|stations|sta|stn|eki", "역|정거장"},
    {"bus stop", "停留所|バス停|停留場", "ていりゅうじょ|ばすてい", "bus stop|stop|teiryujo", "정류장|정류소"},
    {"terminal", "ターミナル|总站|總站", "", "terminal|term", "터미널"},
    {"bus", "バス|巴士|公交|公交车", "", "bus", "버스"},
    {"center", "センター|中心", "", "center|centre|ctr|senta", "센터"},
    {"coast", "海岸", "かいがん", "coast|coastline|seashore|kaigan", "해안"},
    {"seaside", "海浜|海滨", "かいひん", "seaside|kaihin", "해변"},
    {"fishing port", "漁港|渔港", "ぎょこう", "fishing port|fishing harbor|fishing harbour|gyoko", "어항"},
    {"port", "港湾|港", "こうわん", "port|harbor|harbour", "항구|항"},
    {"hospital", "病院|医院|醫院", "びょういん", "hospital|hosp|byoin", "병원"},
    {"clinic", "クリニック|診療所", "しんりょうじょ", "clinic", "클리닉|의원"},
    {"park", "公園|公园", "こうえん", "park|koen", "공원"},
    {"bridge", "橋|桥", "はし|ばし", "bridge|hashi|bashi", "다리|교"},
    {"housing estate", "団地|住宅", "だんち|じゅうたく", "housing estate|housing complex|estate|danchi|housing", "단지"},
    {"elementary school", "小学校|小学", "しょうがっこう", "elementary school|primary school|elem sch|elem|shogakko",
     "초등학교"},
    {"junior high school", "中学校|中学", "ちゅうがっこう", "junior high school|junior high|jr h s|jhs|chugakko",
     "중학교"},
    {"high school", "高校|高等学校|高中", "こうこう|こうとうがっこう", "high school|h s|koko", "고등학교|고교"},
    {"school", "学校", "がっこう", "school|sch|gakko", "학교"},
    {"university", "大学", "だいがく", "university|univ|college|daigaku", "대학교|대학"},
    {"in front of", "前|前面", "まえ", "in front of|front|mae", "앞"},
    {"street", "通り|通|大通り", "どおり|とおり", "street|st|avenue|ave|dori|tori", "거리|도리"},
    {"entrance", "入口|入り口|入口处", "いりぐち", "entrance|entry|iriguchi", "입구"},
    {"city hall", "市役所|市庁|市庁舎|市政府|市厅|市政厅", "しやくしょ|しちょう|しちょうしゃ",
     "city hall|city office|town hall|shiyakusho|shicho", "시청"},
    {"shrine", "神社", "じんじゃ", "shrine|jinja", "신사"},
    {"temple", "寺院|寺", "じいん", "temple", "사원|절"},
    {"hot spring", "温泉", "おんせん", "hot spring|hot springs|onsen|spa", "온천"},
    {"airport", "空港|机场|機場", "くうこう", "airport|kuko", "공항"},
    {"morning market", "朝市|早市", "あさいち", "morning market|asaichi", "아침시장"},
    {"market", "市場|マーケット|市场", "いちば|しじょう", "market|ichiba", "시장"},
    {"depot", "営業所|车库|車庫", "えいぎょうしょ", "depot|sales office|eigyosho|garage", "영업소|차고"},
    {"community center", "公民館|公民馆", "こうみんかん", "community center|community hall|kominkan", "공민관"},
    {"post office", "郵便局|邮局", "ゆうびんきょく", "post office", "우체국"},
    {"library", "図書館|图书馆", "としょかん", "library", "도서관"},
    {"museum", "博物館|美術館|資料館|博物馆|美术馆", "はくぶつかん|びじゅつかん|しりょうかん",
     "museum|art museum|hakubutsukan|bijutsukan", "박물관|미술관"},
    {"cemetery", "霊園|墓地|墓园|陵园", "れいえん|ぼち", "cemetery|reien", "묘지|영원"},
    {"hotel", "ホテル|酒店|饭店|飯店", "", "hotel", "호텔"},
    {"shopping center", "ショッピングセンター|購物中心|购物中心", "", "shopping center|shopping centre|mall", "쇼핑센터"},
    {"office", "事務所|办事处", "じむしょ", "office", "사무소"},
    {"exit", "出口", "でぐち", "exit", "출구"},
};

}  // namespace

std::span<place_word const> place_words() { return words; }

}  // namespace nebuta::search
