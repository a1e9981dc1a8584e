// The page's own texts in five languages, and the choice of language (URL, then the browser).
export const languages = ['ja', 'en', 'zh-Hans', 'zh-Hant', 'ko'];

// Each language's name written in itself, for the switcher.
export const languageNames = { ja: '日本語', en: 'English', 'zh-Hans': '简体中文', 'zh-Hant': '繁體中文', ko: '한국어' };

const texts = {
  en: {
    title: 'Journey planner', from: 'From', to: 'To', swap: 'Swap from and to', myLocation: 'My location',
    date: 'Date', time: 'Time', depart: 'Depart at', arrive: 'Arrive by', wheelchair: 'Wheelchair accessible',
    search: 'Search', language: 'Language', clock: 'Clock', clock24: '24-hour', clock12: '12-hour',
    searching: 'Searching…', results: 'Journeys', found: 'Journeys found: {n}', noJourney: 'No journey found for this search.',
    rides: '{n} rides', ride1: '1 ride', noRide: 'walk only', walk: 'Walk', walkMin: '{m} min walk', duration: 'Duration',
    fare: 'Fare', platform: 'Platform {p}', stops: '{n} stops', showStops: 'Intermediate stops',
    details: 'Details', delay: 'Delay {m} min', onTime: 'On time', alert: 'Alert', alertMore: 'More information', showMap: 'Show map', hideMap: 'Hide map',
    board: 'Departures', boardFor: 'Departures from {s}', kiosk: 'Station display', noDepartures: 'No departures.',
    refreshed: 'Updated {t}', back: 'Back to search', stopSearch: 'Stop', showBoard: 'Show departures',
    suggestions: 'Suggestions', noSuggestion: 'No stop matches', nextDay: '+1 day',
    kind_sight: 'Sight', kind_market: 'Market', kind_museum: 'Museum', kind_public: 'Public office', kind_hospital: 'Hospital', kind_school: 'School', kind_hotel: 'Hotel', kind_place: 'Place', cancelled: 'Cancelled',
    errUnreachable: 'The server cannot be reached. Check your connection and try again.',
    errBusy: 'The server is busy. Please try again in a moment.',
    errBadRequest: 'The search could not be understood.', errNotFound: 'Not found.', errServer: 'The server answered with an error.',
    errUnknownStop: 'No stop with this name.', errAmbiguous: 'This name matches several stops: pick one from the list.',
    errDate: 'This date is outside the timetable.', errLocation: 'Your location is not available.',
    needFromTo: 'Enter where from and where to.', minutes: '{m} min', hours: '{h} h {m} min',
    skip: 'Skip to results', mapNoTiles: 'Map without background (lines between stops).', leg: 'Leg {n}',
    detailsOf: 'Journey {n}',
  },
  ja: {
    title: '経路検索', from: '出発地', to: '目的地', swap: '出発地と目的地を入れ替え', myLocation: '現在地',
    date: '日付', time: '時刻', depart: '出発', arrive: '到着', wheelchair: '車いす対応',
    search: '検索', language: '言語', clock: '時刻表示', clock24: '24時間制', clock12: '12時間制',
    searching: '検索中…', results: '経路', found: '{n}件の経路が見つかりました', noJourney: 'この条件の経路は見つかりませんでした。',
    rides: '乗車{n}回', ride1: '乗車1回', noRide: '徒歩のみ', walk: '徒歩', walkMin: '徒歩{m}分', duration: '所要時間',
    fare: '運賃', platform: '{p}番のりば', stops: '{n}駅・停留所', showStops: '途中の停車駅',
    details: '詳細', delay: '{m}分遅れ', onTime: '定刻', alert: 'お知らせ', alertMore: '詳しい情報', showMap: '地図を表示', hideMap: '地図を閉じる',
    board: '発車案内', boardFor: '{s} の発車案内', kiosk: '駅の表示板', noDepartures: '発車予定はありません。',
    refreshed: '{t} 更新', back: '検索に戻る', stopSearch: '停留所', showBoard: '発車案内を表示',
    suggestions: '候補', noSuggestion: '該当する停留所はありません', nextDay: '翌日',
    kind_sight: '観光地', kind_market: '市場', kind_museum: '博物館', kind_public: '公共施設', kind_hospital: '病院', kind_school: '学校', kind_hotel: 'ホテル', kind_place: '場所', cancelled: '運休',
    errUnreachable: 'サーバーに接続できません。通信環境を確認して、もう一度お試しください。',
    errBusy: 'サーバーが混み合っています。しばらくしてからもう一度お試しください。',
    errBadRequest: '検索条件を理解できませんでした。', errNotFound: '見つかりません。', errServer: 'サーバーがエラーを返しました。',
    errUnknownStop: 'この名前の停留所はありません。', errAmbiguous: '複数の停留所が該当します。候補から選んでください。',
    errDate: 'この日付は時刻表の期間外です。', errLocation: '現在地を取得できません。',
    needFromTo: '出発地と目的地を入力してください。', minutes: '{m}分', hours: '{h}時間{m}分',
    skip: '検索結果へ移動', mapNoTiles: '背景なしの地図（停留所間を直線で表示）', leg: '区間{n}',
    detailsOf: '経路{n}',
  },
  'zh-Hans': {
    title: '路线查询', from: '出发地', to: '目的地', swap: '交换出发地和目的地', myLocation: '我的位置',
    date: '日期', time: '时间', depart: '出发', arrive: '到达', wheelchair: '无障碍（轮椅）',
    search: '查询', language: '语言', clock: '时间格式', clock24: '24小时制', clock12: '12小时制',
    searching: '查询中…', results: '路线', found: '找到{n}条路线', noJourney: '没有找到符合条件的路线。',
    rides: '乘车{n}次', ride1: '乘车1次', noRide: '仅步行', walk: '步行', walkMin: '步行{m}分钟', duration: '所需时间',
    fare: '票价', platform: '{p}号站台', stops: '{n}站', showStops: '途经站',
    details: '详情', delay: '晚点{m}分钟', onTime: '准点', alert: '通知', alertMore: '更多信息', showMap: '显示地图', hideMap: '隐藏地图',
    board: '发车信息', boardFor: '{s} 发车信息', kiosk: '车站显示屏', noDepartures: '暂无发车。',
    refreshed: '{t} 更新', back: '返回查询', stopSearch: '车站', showBoard: '显示发车信息',
    suggestions: '候选', noSuggestion: '没有匹配的车站', nextDay: '次日',
    kind_sight: '景点', kind_market: '市场', kind_museum: '博物馆', kind_public: '公共设施', kind_hospital: '医院', kind_school: '学校', kind_hotel: '酒店', kind_place: '地点', cancelled: '停运',
    errUnreachable: '无法连接服务器。请检查网络后重试。', errBusy: '服务器繁忙，请稍后重试。',
    errBadRequest: '无法理解查询条件。', errNotFound: '未找到。', errServer: '服务器返回错误。',
    errUnknownStop: '没有这个名称的车站。', errAmbiguous: '此名称对应多个车站，请从列表中选择。',
    errDate: '该日期不在时刻表范围内。', errLocation: '无法获取您的位置。',
    needFromTo: '请输入出发地和目的地。', minutes: '{m}分钟', hours: '{h}小时{m}分钟',
    skip: '跳到查询结果', mapNoTiles: '无背景地图（车站之间以直线表示）', leg: '第{n}段', detailsOf: '路线{n}',
  },
  'zh-Hant': {
    title: '路線查詢', from: '出發地', to: '目的地', swap: '交換出發地和目的地', myLocation: '我的位置',
    date: '日期', time: '時間', depart: '出發', arrive: '抵達', wheelchair: '無障礙（輪椅）',
    search: '查詢', language: '語言', clock: '時間格式', clock24: '24小時制', clock12: '12小時制',
    searching: '查詢中…', results: '路線', found: '找到{n}條路線', noJourney: '找不到符合條件的路線。',
    rides: '搭乘{n}次', ride1: '搭乘1次', noRide: '僅步行', walk: '步行', walkMin: '步行{m}分鐘', duration: '所需時間',
    fare: '票價', platform: '{p}號月台', stops: '{n}站', showStops: '途經站',
    details: '詳情', delay: '誤點{m}分鐘', onTime: '準點', alert: '通知', alertMore: '更多資訊', showMap: '顯示地圖', hideMap: '隱藏地圖',
    board: '發車資訊', boardFor: '{s} 發車資訊', kiosk: '車站顯示屏', noDepartures: '目前沒有發車。',
    refreshed: '{t} 更新', back: '返回查詢', stopSearch: '車站', showBoard: '顯示發車資訊',
    suggestions: '候選', noSuggestion: '沒有符合的車站', nextDay: '隔日',
    kind_sight: '景點', kind_market: '市場', kind_museum: '博物館', kind_public: '公共設施', kind_hospital: '醫院', kind_school: '學校', kind_hotel: '飯店', kind_place: '地點', cancelled: '停駛',
    errUnreachable: '無法連線到伺服器。請檢查網路後再試一次。', errBusy: '伺服器忙碌中，請稍後再試。',
    errBadRequest: '無法理解查詢條件。', errNotFound: '找不到。', errServer: '伺服器回傳錯誤。',
    errUnknownStop: '沒有這個名稱的車站。', errAmbiguous: '此名稱對應多個車站，請從清單中選擇。',
    errDate: '此日期不在時刻表範圍內。', errLocation: '無法取得您的位置。',
    needFromTo: '請輸入出發地和目的地。', minutes: '{m}分鐘', hours: '{h}小時{m}分鐘',
    skip: '跳到查詢結果', mapNoTiles: '無背景地圖（車站之間以直線表示）', leg: '第{n}段', detailsOf: '路線{n}',
  },
  ko: {
    title: '경로 검색', from: '출발지', to: '도착지', swap: '출발지와 도착지 바꾸기', myLocation: '내 위치',
    date: '날짜', time: '시간', depart: '출발', arrive: '도착', wheelchair: '휠체어 이용 가능',
    search: '검색', language: '언어', clock: '시간 표시', clock24: '24시간제', clock12: '12시간제',
    searching: '검색 중…', results: '경로', found: '경로 {n}개를 찾았습니다', noJourney: '이 조건에 맞는 경로가 없습니다.',
    rides: '승차 {n}회', ride1: '승차 1회', noRide: '도보만', walk: '도보', walkMin: '도보 {m}분', duration: '소요 시간',
    fare: '요금', platform: '{p}번 승강장', stops: '{n}개 정류장', showStops: '경유 정류장',
    details: '자세히', delay: '{m}분 지연', onTime: '정시', alert: '알림', alertMore: '자세한 정보', showMap: '지도 보기', hideMap: '지도 닫기',
    board: '출발 안내', boardFor: '{s} 출발 안내', kiosk: '역 안내 화면', noDepartures: '출발 예정이 없습니다.',
    refreshed: '{t} 갱신', back: '검색으로 돌아가기', stopSearch: '정류장', showBoard: '출발 안내 보기',
    suggestions: '후보', noSuggestion: '일치하는 정류장이 없습니다', nextDay: '다음 날',
    kind_sight: '관광지', kind_market: '시장', kind_museum: '박물관', kind_public: '공공시설', kind_hospital: '병원', kind_school: '학교', kind_hotel: '호텔', kind_place: '장소', cancelled: '운휴',
    errUnreachable: '서버에 연결할 수 없습니다. 연결 상태를 확인하고 다시 시도하세요.',
    errBusy: '서버가 혼잡합니다. 잠시 후 다시 시도하세요.',
    errBadRequest: '검색 조건을 이해할 수 없습니다.', errNotFound: '찾을 수 없습니다.', errServer: '서버가 오류를 반환했습니다.',
    errUnknownStop: '이 이름의 정류장이 없습니다.', errAmbiguous: '여러 정류장이 해당됩니다. 목록에서 선택하세요.',
    errDate: '이 날짜는 시간표 기간 밖입니다.', errLocation: '현재 위치를 알 수 없습니다.',
    needFromTo: '출발지와 도착지를 입력하세요.', minutes: '{m}분', hours: '{h}시간 {m}분',
    skip: '검색 결과로 이동', mapNoTiles: '배경 없는 지도(정류장 사이를 직선으로 표시)', leg: '구간 {n}', detailsOf: '경로 {n}',
  },
};

// A BCP 47 tag → one of `languages`, or null. Chinese goes by script, then by region.
export function matchLanguage(tag) {
  if (typeof tag !== 'string' || tag === '') return null;
  const parts = tag.replace(/_/g, '-').split('-').map((p) => p.toLowerCase());
  const [primary, ...rest] = parts;
  if (primary === 'zh') {
    if (rest.includes('hant')) return 'zh-Hant';
    if (rest.includes('hans')) return 'zh-Hans';
    if (rest.some((p) => p === 'tw' || p === 'hk' || p === 'mo')) return 'zh-Hant';
    return 'zh-Hans';
  }
  return languages.find((l) => l === primary) ?? null;
}

// The URL's lang= when it names a language of the page, else the first of the browser's
// languages the page has, else English (a visitor's second language more often than Japanese).
export function chooseLanguage(urlLang, browserLanguages) {
  const fromUrl = matchLanguage(urlLang);
  if (fromUrl) return fromUrl;
  for (const tag of browserLanguages ?? []) {
    const l = matchLanguage(tag);
    if (l) return l;
  }
  return 'en';
}

// The API's language chain for the page's language: the page's language alone, since the API
// itself goes on to English and then to the feed's own language (docs/search.md#languages).
// Naming the feed's language here would stop it from making an English name where the feed has
// only a Japanese one (a route's badge and the English names of its terminals).
export function apiLangChain(lang) {
  return lang;
}

// The text `key` in `lang`, with {name} placeholders filled from `args`.
export function t(lang, key, args = {}) {
  const s = texts[lang]?.[key] ?? texts.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in args ? String(args[k]) : m));
}

export function hasText(lang, key) {
  return Boolean(texts[lang]?.[key]);
}

export const allKeys = Object.keys(texts.en);
export const textTables = texts;
