// Lexicon tables shared by all categories: attributes, category affinity, merchants, brand
// syllables, text templates and the look-alike characters used for Chinese misspellings.
#include "kerec/world/lexicon.h"

namespace kerec::world {

// clang-format off
const std::vector<AttributeLex>& attribute_table() {
  static const std::vector<AttributeLex> table = {
    {"colour", "black|white|silver|blue|red|green|pink|grey|gold|navy", "黑色|白色|银色|蓝色|红色|绿色|粉色|灰色|金色|藏青色"},
    {"size", "size S|size M|size L|size XL", "S码|M码|L码|XL码"},
    {"storage", "64GB|128GB|256GB|512GB", "64GB|128GB|256GB|512GB"},
    {"capacity", "250ml|350ml|500ml|750ml|1L", "250毫升|350毫升|500毫升|750毫升|1升"},
    {"weight", "100g|250g|500g|1kg|2kg", "100克|250克|500克|1千克|2千克"},
    {"pack", "2-pack|3-pack|6-pack|10-pack", "2只装|3只装|6只装|10只装"},
    {"flavour", "sea salt|mocha|mint|peach|lemon", "海盐味|摩卡味|薄荷味|蜜桃味|柠檬味"},
    {"roast", "light roast|medium roast|dark roast", "浅度烘焙|中度烘焙|深度烘焙"},
    {"model_year", "2023 model|2024 model", "2023款|2024款"},
    {"age", "0-6 months|6-12 months|1-3 years", "0-6个月|6-12个月|1-3岁"},
    {"power", "20W|65W|100W", "20W|65W|100W"},
    {"length", "1m|2m|3m", "1米|2米|3米"},
    {"edition", "1st edition|2nd edition|revised edition", "第一版|第二版|修订版"},
  };
  return table;
}

// Heads whose attributes differ from their category's default kinds.
const std::vector<HeadAttributesLex>& head_attribute_table() {
  static const std::vector<HeadAttributesLex> table = {
    {"phone", "colour|storage|model_year"}, {"phone charger", "colour|power"}, {"charging cable", "colour|length"},
    {"power bank", "colour|power"}, {"sim card", "pack|model_year"}, {"hdmi cable", "colour|length"},
    {"mouse pad", "colour|size"}, {"laptop bag", "colour|size"}, {"laptop sleeve", "colour|size"},
    {"memory card", "storage|pack"}, {"tv mount", "colour|size"}, {"tripod", "colour|size"},
    {"camera bag", "colour|size"}, {"headphone stand", "colour|pack"}, {"printer", "colour|model_year"},
    {"desk lamp", "colour|power"}, {"car charger", "colour|power"}, {"jump starter", "power|colour"},
    {"tire inflator", "power|colour"}, {"car seat cover", "colour|size"}, {"floor mats", "colour|size"},
    {"car vacuum", "colour|power"}, {"dash cam", "colour|model_year"}, {"car wax", "capacity|pack"},
    {"coffee beans", "weight|roast|flavour"}, {"ground coffee", "weight|roast"}, {"instant coffee", "pack|flavour"},
    {"coffee capsules", "pack|roast|flavour"}, {"coffee machine", "colour|model_year"},
    {"coffee grinder", "colour|model_year"}, {"milk frother", "colour|power"}, {"french press", "colour|capacity"},
    {"coffee filter", "pack|size"}, {"green tea", "weight|pack"}, {"black tea", "weight|pack"},
    {"teapot", "colour|capacity"}, {"coffee mug", "colour|capacity"}, {"descaler", "capacity|pack"},
    {"birthday cake", "size|flavour"}, {"birthday candles", "pack|colour"}, {"cream cheese", "weight|flavour"},
    {"butter", "weight|pack"}, {"jam", "weight|flavour"}, {"baking flour", "weight|pack"}, {"yeast", "weight|pack"},
    {"baking pan", "size|colour"}, {"olive oil", "capacity|pack"}, {"soy sauce", "capacity|pack"},
    {"milk", "capacity|pack"}, {"soda", "capacity|flavour"}, {"potato chips", "weight|flavour"},
    {"pasta sauce", "weight|flavour"}, {"instant noodles", "pack|flavour"}, {"cereal", "weight|flavour"},
    {"mixed nuts", "weight|flavour"}, {"rice cooker", "capacity|colour"}, {"electric kettle", "capacity|colour"},
    {"blender", "power|colour"}, {"food container", "capacity|pack"}, {"dish soap", "capacity|pack"},
    {"dish sponge", "pack|colour"}, {"oven mitts", "colour|pack"}, {"baby wipes", "pack|age"},
    {"baby formula", "weight|age"}, {"baby bottle", "capacity|age"}, {"bottle brush", "colour|pack"},
    {"bottle sterilizer", "colour|power"}, {"stroller", "colour|model_year"}, {"baby carrier", "colour|age"},
    {"diaper cream", "weight|pack"}, {"pacifier", "age|colour"}, {"baby monitor", "colour|model_year"},
    {"dog food", "weight|flavour"}, {"cat food", "weight|flavour"}, {"cat litter", "weight|pack"},
    {"dog treats", "weight|flavour"}, {"fish food", "weight|pack"}, {"poop bags", "pack|colour"},
    {"pet shampoo", "capacity|pack"}, {"aquarium", "capacity|size"}, {"aquarium filter", "power|size"},
    {"face cream", "capacity|pack"}, {"sunscreen", "capacity|pack"}, {"shampoo", "capacity|pack"},
    {"conditioner", "capacity|pack"}, {"makeup remover", "capacity|pack"}, {"nail polish remover", "capacity|pack"},
    {"shaving cream", "capacity|pack"}, {"hair dryer", "colour|power"}, {"foundation", "colour|capacity"},
    {"vitamins", "pack|flavour"}, {"fish oil", "pack|flavour"}, {"protein powder", "weight|flavour"},
    {"shaker bottle", "capacity|colour"}, {"thermometer", "colour|model_year"},
    {"blood pressure monitor", "colour|model_year"}, {"first aid kit", "size|pack"}, {"bandages", "pack|size"},
    {"lens solution", "capacity|pack"}, {"massage gun", "colour|power"}, {"light bulb", "power|pack"},
    {"scented candle", "colour|pack"}, {"towel", "colour|pack"}, {"storage box", "capacity|colour"},
    {"vacuum cleaner", "colour|power"}, {"vacuum bags", "pack|size"}, {"potting soil", "weight|pack"},
    {"seeds", "pack|weight"}, {"fertilizer", "weight|pack"}, {"watering can", "capacity|colour"},
    {"garden hose", "length|colour"}, {"lawn mower", "power|colour"}, {"bird seed", "weight|pack"},
    {"dumbbells", "weight|colour"}, {"water bottle", "capacity|colour"}, {"tennis balls", "pack|colour"},
    {"jump rope", "colour|length"}, {"camping lantern", "power|colour"}, {"headlamp", "power|colour"},
    {"gas canister", "weight|pack"}, {"cooler box", "capacity|colour"}, {"insect repellent", "capacity|pack"},
    {"camping cookware", "capacity|colour"}, {"tent stakes", "pack|length"}, {"travel bottles", "capacity|pack"},
    {"earplugs", "pack|colour"}, {"luggage tag", "colour|pack"}, {"guidebook", "edition|pack"},
    {"travel adapter", "colour|power"}, {"luggage scale", "colour|model_year"}, {"e-reader", "storage|colour"},
    {"e-reader cover", "colour|size"}, {"book stand", "colour|size"}, {"reading light", "colour|power"},
    {"colored pencils", "pack|colour"}, {"bookmark", "pack|colour"},
  };
  return table;
}

// After buying in `from`, the need in `to`. Same-category affinity is a config key, not listed.
const std::vector<AffinityLex>& affinity_table() {
  static const std::vector<AffinityLex> table = {
    {"phones", "electronics", 0.6}, {"phones", "computers", 0.2}, {"computers", "office", 0.5},
    {"computers", "electronics", 0.5}, {"computers", "phones", 0.2}, {"electronics", "phones", 0.4},
    {"electronics", "home", 0.2}, {"office", "books", 0.4}, {"office", "computers", 0.3},
    {"auto", "phones", 0.4}, {"auto", "electronics", 0.3}, {"auto", "outdoor", 0.2},
    {"coffee_tea", "bakery", 0.7}, {"coffee_tea", "kitchen", 0.5}, {"coffee_tea", "groceries", 0.3},
    {"bakery", "coffee_tea", 0.6}, {"bakery", "groceries", 0.5}, {"bakery", "kitchen", 0.3},
    {"groceries", "kitchen", 0.4}, {"groceries", "bakery", 0.3}, {"kitchen", "groceries", 0.5},
    {"kitchen", "coffee_tea", 0.2}, {"kitchen", "home", 0.3}, {"baby", "health", 0.3},
    {"baby", "home", 0.3}, {"baby", "beauty", 0.2}, {"pets", "home", 0.3}, {"pets", "garden", 0.2},
    {"beauty", "health", 0.4}, {"beauty", "travel", 0.2}, {"beauty", "clothing", 0.2},
    {"health", "beauty", 0.3}, {"health", "sports", 0.3}, {"home", "kitchen", 0.3},
    {"home", "garden", 0.3}, {"home", "baby", 0.1}, {"garden", "home", 0.4}, {"garden", "outdoor", 0.3},
    {"clothing", "sports", 0.3}, {"clothing", "travel", 0.3}, {"clothing", "beauty", 0.3},
    {"sports", "clothing", 0.4}, {"sports", "health", 0.4}, {"sports", "outdoor", 0.3},
    {"outdoor", "sports", 0.4}, {"outdoor", "travel", 0.3}, {"outdoor", "clothing", 0.3},
    {"outdoor", "kitchen", 0.2}, {"travel", "clothing", 0.3}, {"travel", "beauty", 0.3},
    {"travel", "electronics", 0.3}, {"travel", "books", 0.2}, {"books", "office", 0.5},
    {"books", "home", 0.2}, {"books", "electronics", 0.2},
  };
  return table;
}

// Templates: {m} mention, {b} brand, {B} brand in capitals, {M} merchant, {a} and {A} attributes,
// {t} tag, {q} quantity, {o} order or store number. Every template contains {m} exactly once.
static const WordLists kEnglish = {
  "CORNER MART|CITY GROCER|QUICKSTOP|MAIN ST STORE|DAILY MARKET|SUNNY SUPERSTORE|METRO SHOP|VALUE DEPOT|"
  "GREEN LEAF MARKET|EXPRESS MART|HARBOR OUTLET|UNION SQUARE SHOP|PARKSIDE STORE|NORTHGATE MALL|"
  "RIVERSIDE MARKET|FAMILY DISCOUNT|OAK STREET GENERAL|BRIGHT DEALS",
  "new|sale|best seller|limited|hot deal|official",
  "Zen|Nova|Lumi|Vita|Kora|Axi|Belu|Cora|Davi|Eko|Fio|Gala|Hexa|Iro|Juno|Kai|Luma|Miro|Niko|Orbi|Pax|"
  "Quan|Rivo|Sola|Tera|Velo|Wynn|Xeno|Yuki|Zeph|Alto|Brio|Cielo|Dyna|Esto|Fable",
  "tek|ra|lux|on|ify|ora|ix|io|go|na|mo|via|ster|ly|wave|core|field|nest|ton|vo",
  "{b} {m} {a}|{b} {m} {a} {A}|{b} {a} {m}|{m} by {b}, {a}|{b} {m} - {a}, {A}|{t}: {b} {m} {a}",
  "Order #{o}: {m} {a}|ORDER {o} {B} {m} x{q}|Online order {o} - {m}|{b} official store: {m} x{q}",
  "POS *{M} {m} {q}x|{M} {m}|Card payment {M}: {m}|{M} #{o} {m} {a}",
};

static const WordLists kChinese = {
  "好邻居便利店|城市超市|优选百货|家家乐超市|惠民超市|街角小店|星光商城|天天便利|福满多超市|鑫源百货|"
  "和平商场|阳光百货|万家福超市|邻里小铺|金桥商场|百佳汇",
  "新品|包邮|热卖|正品|限时|特价|爆款|官方",
  "华|美|极|星|雅|优|乐|康|佳|晨|凯|飞|科|达|顺|欧|诺|蓝|天|万|瑞|森|泰|宏|锦|云|朗|润|嘉|悦|盛|恒",
  "派|尚|仕|朗|德|维|途|品|格|源|谷|贝|禾|享|素|然|木|川|家|风",
  "{b}{m}{a}|{b}{m}{a}{A}|{b}{a}{m}|【{t}】{b}{m}{a}|{b}{m}{a}{A}{t}",
  "订单{o}：{m}{a}|{b}官方旗舰店-{m}×{q}|订单号{o}{m}|网购{o}-{b}{m}",
  "POS消费*{M}{m}|{M}-{m}{q}件|扫码支付{M}{m}|{M}收银{o}:{m}{a}",
};

const WordLists& word_lists(Language language) {
  return language == Language::kZh ? kChinese : kEnglish;
}

const char* similar_char_pairs() {
  return "机几|壳克|膜模|充冲|电由|线钱|宝保|架驾|杆竿|表衣|带戴|器气|数树|笔毕|记纪|本木|脑恼|盘盆|"
         "标栋|键健|屏瓶|摄慑|像象|头斗|耳尔|箱厢|相湘|镜境|视规|盒合|茶荼|咖加|啡非|豆逗|粉份|奶扔|"
         "泡炮|滤虑|纸低|杯坏|包抱|蛋旦|糕羔|油由|酱将|母毋|面而|米来|榄揽|汽气|坚竖|锅涡|铲产|刀力|"
         "砧钻|壶胡|洗冼|洁结|精睛|裤库|巾币|瓶并|刷涮|猫锚|狗够|粮梁|砂沙|绳蝇|圈卷|零铃|碗婉|缸扛|"
         "鱼渔|红虹|唇辰|液夜|晒洒|吹炊|风凤|甲由|须顺|膏高|维推|素索|体休|温瘟|计汁|罩卓|血皿|救求|"
         "贴站|隐稳|形型|护沪|理里|床麻|枕沈|被彼|窗囱|纳钠|吸汲|灯盯|薰熏|营莹|养样|土士|种钟|洒酒|"
         "管馆|喷啧|枪抢|剪煎|割害|草早|鸟乌|恤血|牛午|仔子|皮披|袜沫|羽习|绒戎|墨黑|瑜愉|伽加|砖专|"
         "哑亚|铃玲|跑泡|跳桃|篮蓝|球求|拍柏|帐账|篷蓬|睡垂|袋代|炉芦|罐灌|椅倚|钉订|蚊纹|李季|拉垃|"
         "旅族|牌脾|锁琐|眼银|塞赛|秤称|照昭|夹荚|谱普|绘会|教孝|漫慢|画划|阅悦|读渎|典曲|铅沿|彩采|"
         "涂途|酵孝|烛蚀|尿屎|毒毐|盆益|鞋鲑|伞企|垫热|扇搧|霜雷|手首|装妆|具俱|布怖|毛耗|衣依|子仔|"
         "钢钩|支枝|套奁|梳疏|剂济|药约|筒同|壁璧|汁计|帘廉|气汽|胶交|指旨|游油|监鉴|泵蹦|"
         "件伴|宠庞|物勿|用甩|品晶";
}

const char* common_chars() {
  return "的一是了人在有我他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可里后";
}
// clang-format on

}  // namespace kerec::world
