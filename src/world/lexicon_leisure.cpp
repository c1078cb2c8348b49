// Lexicon tables: garden, clothing, sports, outdoor, travel, books. Row layout as in
// lexicon_tech.cpp.
#include "kerec/world/lexicon.h"

namespace kerec::world {

// clang-format off
static CategoryLex garden() {
  return {"garden", "园艺绿植",
      "organic|heavy-duty|expandable|ceramic|self-watering|biodegradable|slow-release|cordless|electric|heirloom|adjustable|rust-proof|decorative|hanging|leather|ergonomic|solar|vintage|compact",
      "有机|重型|伸缩|陶瓷|自动吸水|可降解|缓释|无绳|电动|传家|可调节|防锈|装饰|悬挂|真皮|人体工学|太阳能|复古|小巧",
      "size|colour", {
    {"potting soil", "营养土", "potting mix|garden soil", "花土|种植土", "compost mix|growing medium", "腐殖土|泥炭土", 8, "", ""},
    {"flower pot", "花盆", "plant pot|planter", "花钵", "pot planter|grow pot", "种植盆|盆器", 8, "", "potting soil:0.75"},
    {"seeds", "种子", "flower seeds|vegetable seeds", "花种|菜籽", "seed packet|seed pack", "种籽|菜种", 2, "", "potting soil:0.6;flower pot:0.4"},
    {"fertilizer", "肥料", "plant food|plant fertilizer", "花肥|复合肥", "fertiliser|nutrient feed", "营养液|缓释肥", 8, "", ""},
    {"watering can", "洒水壶", "watering pot|sprinkling can", "浇水壶", "plant mister|sprinkler can", "喷壶|浇花壶", 8, "", ""},
    {"garden hose", "浇花水管", "hose pipe|water hose", "水管|花园水管", "hosepipe|garden pipe", "软管|洗车水管", 25, "",
     "hose nozzle:0.8;hose reel:0.55"},
    {"hose nozzle", "喷枪", "spray nozzle|hose sprayer", "洗车喷枪|水枪", "spray gun|nozzle head", "高压喷头|花洒喷头", 8, "", ""},
    {"hose reel", "水管车", "hose cart|hose hanger", "卷管器", "reel cart|hose winder", "收管器|绕管架", 30, "", ""},
    {"pruning shears", "修枝剪", "secateurs|pruners", "园艺剪|剪枝剪", "garden shears|clippers", "花剪|枝剪", 15, "", "gardening gloves:0.5"},
    {"gardening gloves", "园艺手套", "garden gloves|work gloves", "劳保手套|种花手套", "planting gloves|yard gloves", "防刺手套|干活手套", 5, "", ""},
    {"lawn mower", "割草机", "grass cutter|mower", "剪草机", "lawnmower|grass trimmer", "打草机|除草机", 200, "", "gardening gloves:0.3"},
    {"bird feeder", "喂鸟器", "bird table|seed feeder", "鸟食器", "feeder station|bird house", "喂食器|鸟食盒", 15, "", "bird seed:0.85"},
    {"bird seed", "鸟食", "wild bird seed|bird food", "鸟粮", "seed mix|birdseed", "鸟饲料|混合鸟粮", 5, "", ""},
  }};
}

static CategoryLex clothing() {
  return {"clothing", "服饰鞋包",
      "slim-fit|oversized|waterproof|vintage|wool|leather|thermal|breathable|casual|classic|lightweight|kids|women's|men's|unisex|organic|reversible|quilted|cashmere",
      "修身|宽松|防水|复古|羊毛|真皮|保暖|透气|休闲|经典|轻薄|儿童|女士|男士|中性|有机|双面|绗缝|羊绒",
      "colour|size", {
    {"t-shirt", "T恤", "tee|tee shirt", "短袖|体恤", "tshirt|crew neck tee", "圆领衫|半袖", 12, "top", ""},
    {"jeans", "牛仔裤", "denim jeans|denims", "牛仔长裤", "denim pants|blue jeans", "丹宁裤|仔裤", 30, "", "belt:0.5"},
    {"belt", "皮带", "leather belt|waist belt", "腰带", "belt strap|girdle", "裤腰带|皮腰带", 15, "", ""},
    {"sneakers", "运动鞋", "trainers|athletic shoes", "球鞋|板鞋", "kicks|tennis shoes", "休闲鞋|波鞋", 50, "", "socks:0.5"},
    {"socks", "袜子", "ankle socks|crew socks", "短袜|棉袜", "sock pack|sports socks", "船袜|中筒袜", 4, "", ""},
    {"hoodie", "卫衣", "hooded sweatshirt|sweatshirt", "连帽衫", "hoody|pullover hoodie", "套头衫|帽衫", 30, "top", ""},
    {"winter jacket", "羽绒服", "down jacket|puffer jacket", "棉服|羽绒衣", "parka|puffer coat", "面包服|棉袄", 90, "", "scarf:0.5;gloves:0.45"},
    {"scarf", "围巾", "neck scarf|shawl", "披肩|围脖", "muffler|neck warmer", "丝巾|颈巾", 15, "", ""},
    {"gloves", "手套", "winter gloves|mittens", "保暖手套", "touchscreen gloves|hand gloves", "棉手套|毛线手套", 10, "", ""},
    {"umbrella", "雨伞", "rain umbrella|folding umbrella", "折叠伞|遮阳伞", "brolly|parasol", "晴雨伞|太阳伞", 15, "", ""},
    {"backpack", "双肩包", "rucksack|school bag", "背包|书包", "daypack|knapsack", "双肩背包|学生包", 35, "", ""},
    {"sunglasses", "太阳镜", "shades|sun glasses", "墨镜", "sunnies|polarized glasses", "遮阳镜|偏光镜", 30, "", "glasses case:0.6"},
    {"glasses case", "眼镜盒", "spectacle case|eyeglass case", "眼镜袋", "glasses pouch|sunglass case", "镜盒|眼镜套", 6, "", ""},
    {"wallet", "钱包", "billfold|purse", "皮夹|钱夹", "card wallet|money clip", "卡包|零钱包", 25, "", ""},
  }};
}

static CategoryLex sports() {
  return {"sports", "运动健身",
      "professional|non-slip|adjustable|lightweight|foldable|cushioned|breathable|training|kids|indoor|outdoor|eco|premium|beginner|competition|padded|insulated|quick-dry|weighted",
      "专业|防滑|可调节|轻量|折叠|缓震|透气|训练|儿童|室内|户外|环保|高端|入门|比赛|加厚|保温|速干|负重",
      "colour|size", {
    {"yoga mat", "瑜伽垫", "exercise mat|fitness mat", "健身垫", "pilates mat|workout mat", "运动垫|防滑垫", 20, "", "yoga blocks:0.6"},
    {"yoga blocks", "瑜伽砖", "yoga brick|foam block", "瑜伽块", "exercise block|cork block", "泡沫砖|辅助砖", 8, "", ""},
    {"dumbbells", "哑铃", "hand weights|free weights", "哑铃组|健身哑铃", "weight set|iron weights", "举重器|杠铃片", 40, "",
     "weight bench:0.5;gym gloves:0.5"},
    {"weight bench", "健身椅", "workout bench|gym bench", "哑铃凳", "flat bench|incline bench", "卧推凳|仰卧板", 80, "", ""},
    {"gym gloves", "健身手套", "workout gloves|lifting gloves", "举重手套", "grip gloves|training gloves", "防滑手套|护掌", 10, "", ""},
    {"running shoes", "跑鞋", "running trainers|jogging shoes", "慢跑鞋", "runners|racing flats", "竞速跑鞋|马拉松鞋", 60, "",
     "socks:0.4;water bottle:0.3;smartwatch:0.3"},
    {"jump rope", "跳绳", "skipping rope|speed rope", "计数跳绳", "jumping rope|skip rope", "钢丝跳绳|无绳跳绳", 6, "", ""},
    {"basketball", "篮球", "basket ball|b-ball", "室外篮球", "hoops ball|streetball", "街球|七号球", 20, "ball", "ball pump:0.6"},
    {"football", "足球", "soccer ball|soccer", "英式足球", "footy|match ball", "训练球|五号球", 18, "ball", "ball pump:0.6;shin guards:0.55"},
    {"ball pump", "打气筒", "inflator pump|ball inflator", "气筒", "needle pump|hand pump", "充气筒|球针气筒", 6, "", ""},
    {"shin guards", "护腿板", "shin pads|leg guards", "护小腿", "shinguards|shin protectors", "护胫|绑腿板", 12, "", ""},
    {"tennis racket", "网球拍", "tennis racquet|racket", "球拍", "racquet|tennis bat", "拍子|网拍", 60, "", "tennis balls:0.85"},
    {"tennis balls", "网球", "tennis ball can|tennis ball", "网球罐", "practice balls|pressurized balls", "训练网球|比赛用球", 6, "", ""},
    {"water bottle", "运动水壶", "sports bottle|drinking bottle", "水瓶|运动水杯", "hydration bottle|flask", "随手杯|吸管杯", 12, "", ""},
  }};
}

static CategoryLex outdoor() {
  return {"outdoor", "户外露营",
      "ultralight|waterproof|portable|insulated|inflatable|rechargeable|solar|heavy-duty|compact|family|backpacking|four-season|windproof|collapsible|rugged|tactical|thermal|kids",
      "超轻|防水|便携|保温|充气|可充电|太阳能|重型|小巧|家庭|背包客|四季|防风|可折叠|坚固|战术|保暖|儿童",
      "colour|size", {
    {"tent", "帐篷", "camping tent|dome tent", "露营帐篷", "shelter|pop up tent", "野营帐|速开帐", 120, "",
     "sleeping bag:0.8;sleeping pad:0.7;tent stakes:0.6;camping lantern:0.55"},
    {"sleeping bag", "睡袋", "sleep sack|mummy bag", "露营睡袋", "bedroll|camp quilt", "信封睡袋|羽绒睡袋", 60, "", "sleeping pad:0.6"},
    {"sleeping pad", "防潮垫", "camping mat|sleeping mat", "睡垫|充气垫", "roll mat|foam pad", "蛋巢垫|自动充气垫", 30, "", ""},
    {"camping lantern", "露营灯", "camp light|tent light", "营地灯|帐篷灯", "lantern|camp lamp", "马灯|野营灯", 20, "", ""},
    {"headlamp", "头灯", "head torch|headlight", "头戴灯|头戴式手电", "head lamp|forehead light", "矿灯|夜跑灯", 15, "", ""},
    {"hiking boots", "登山鞋", "trekking boots|hiking shoes", "徒步鞋", "walking boots|trail boots", "登山靴|越野鞋", 90, "", "trekking poles:0.5"},
    {"trekking poles", "登山杖", "hiking poles|walking sticks", "徒步杖", "nordic poles|hiking staff", "手杖|拐杖", 25, "", ""},
    {"camping stove", "露营炉", "camp stove|backpacking stove", "户外炉具|卡式炉", "gas burner|portable stove", "炉头|野炊炉", 40, "",
     "gas canister:0.9;camping cookware:0.7"},
    {"gas canister", "气罐", "fuel canister|butane can", "燃气罐|丁烷气罐", "gas cartridge|fuel can", "高山气|扁气罐", 6, "", ""},
    {"camping cookware", "野营锅", "camping pots|mess kit", "套锅|户外锅具", "camp cook set|billy can", "露营锅|炊具套装", 30, "", ""},
    {"camping chair", "折叠椅", "folding chair|camp chair", "露营椅|月亮椅", "lawn chair|moon chair", "钓鱼椅|沙滩椅", 30, "", ""},
    {"cooler box", "保温箱", "cooler|ice chest", "冷藏箱", "cool box|esky", "冰桶|保冷箱", 45, "", ""},
    {"tent stakes", "地钉", "tent pegs|ground stakes", "帐篷钉", "pegs|stake set", "营钉|地锚", 5, "", ""},
    {"insect repellent", "驱蚊液", "bug spray|mosquito repellent", "防蚊液|驱蚊水", "deet spray|bug repellent", "花露水|防蚊喷雾", 6, "", ""},
  }};
}

static CategoryLex travel() {
  return {"travel", "旅行用品",
      "lightweight|hard-shell|expandable|anti-theft|rfid-blocking|compact|foldable|waterproof|memory-foam|inflatable|digital|universal|premium|spinner|cabin|leather|kids|silk",
      "轻便|硬壳|可扩展|防盗|防磁|小巧|折叠|防水|记忆棉|充气|电子|通用|高端|万向轮|登机|真皮|儿童|真丝",
      "colour|size", {
    {"suitcase", "行李箱", "luggage|trolley case", "拉杆箱|旅行箱", "roller bag|carry-on", "登机箱|皮箱", 90, "",
     "packing cubes:0.55;luggage tag:0.5;luggage lock:0.5;luggage scale:0.3"},
    {"packing cubes", "收纳袋", "packing organizers|travel organizers", "旅行收纳袋", "compression cubes|packing bags", "分装袋|整理袋", 12, "", ""},
    {"luggage tag", "行李牌", "bag tag|suitcase tag", "行李吊牌", "name tag|id tag", "挂牌|托运牌", 4, "", ""},
    {"luggage lock", "海关锁", "tsa lock|travel lock", "行李锁|密码锁", "padlock|combination lock", "箱包锁|挂锁", 8, "", ""},
    {"travel pillow", "U型枕", "neck pillow|travel neck pillow", "颈枕|护颈枕", "airplane pillow|u pillow", "飞机枕|午睡枕", 12, "", "eye mask:0.6"},
    {"eye mask", "眼罩", "sleep mask|sleeping mask", "睡眠眼罩", "blindfold|night mask", "遮光眼罩|蒸汽眼罩", 5, "", "earplugs:0.6"},
    {"earplugs", "耳塞", "ear plugs|noise plugs", "防噪耳塞", "foam plugs|sleep plugs", "隔音耳塞|睡眠耳塞", 3, "", ""},
    {"travel adapter", "转换插头", "plug adapter|universal adapter", "旅行插座|转换器", "power converter|socket adapter", "万能插头|电源转换器", 15, "", ""},
    {"luggage scale", "行李秤", "baggage scale|suitcase scale", "手提秤", "hanging scale|weight hook", "便携秤|电子秤", 10, "", ""},
    {"passport holder", "护照夹", "passport cover|passport wallet", "护照包|证件套", "document holder|travel wallet", "证件夹|卡套", 10, "", ""},
    {"travel bottles", "分装瓶", "toiletry bottles|travel containers", "旅行分装瓶", "mini bottles|leakproof bottles", "小样瓶|乳液瓶", 6, "", ""},
    {"guidebook", "旅游指南", "travel guide|guide book", "旅行攻略|导游书", "travel handbook|city guide", "攻略书|旅行手册", 15, "", ""},
  }};
}

static CategoryLex books() {
  return {"books", "图书文娱",
      "illustrated|bestselling|classic|hardcover|bilingual|pocket|annotated|vintage|kids|beginner|advanced|signed|collector's|waterproof|magnetic|adjustable|rechargeable|deluxe|large-print|mini",
      "插图|畅销|经典|精装|双语|口袋|注释|复古|儿童|入门|进阶|签名|典藏|防水|磁吸|可调节|充电|豪华|大字|迷你",
      "edition|pack", {
    {"novel", "小说", "fiction book|paperback novel", "长篇小说", "page turner|fiction", "言情书|故事书", 10, "", "bookmark:0.5;reading light:0.4"},
    {"cookbook", "菜谱", "recipe book|cook book", "食谱|烹饪书", "recipe collection|cooking guide", "家常菜谱|烘焙书", 18, "", ""},
    {"children's book", "绘本", "picture book|kids book", "儿童绘本|童书", "storybook|bedtime stories", "图画书|亲子读物", 8, "", ""},
    {"textbook", "教材", "course book|school textbook", "课本|教科书", "study book|coursebook", "辅导书|习题册", 30, "", "notebook:0.4"},
    {"comic book", "漫画书", "comics|graphic novel", "漫画|连环画", "manga|comic strip", "动漫书|漫画集", 8, "", ""},
    {"bookmark", "书签", "page marker|book marker", "书夹", "page clip|reading marker", "金属书签|书页夹", 2, "", ""},
    {"e-reader", "电子书阅读器", "ebook reader|e-book reader", "阅读器|电纸书", "reading tablet|e-ink reader", "墨水屏|电子书", 100, "",
     "e-reader cover:0.75"},
    {"e-reader cover", "阅读器保护套", "ebook reader case|e-reader case", "电纸书保护套", "reader sleeve|reader folio", "阅读器壳|电子书套", 15, "", ""},
    {"book stand", "读书架", "book holder|reading stand", "看书架", "book rest|page holder", "阅读架|书立", 12, "", ""},
    {"dictionary", "词典", "english dictionary|word dictionary", "字典|辞典", "lexicon|wordbook", "工具书|汉语词典", 20, "", ""},
    {"reading light", "夹书灯", "book light|clip-on light", "阅读灯|护眼夹灯", "booklight|page light", "小夜灯|床头阅读灯", 10, "", ""},
    {"coloring book", "涂色书", "colouring book|adult coloring book", "填色本", "activity book|doodle book", "涂鸦本|秘密花园", 6, "",
     "colored pencils:0.85"},
    {"colored pencils", "彩色铅笔", "coloured pencils|color pencils", "彩铅", "pencil crayons|drawing pencils", "水溶彩铅|油性彩铅", 10, "", ""},
  }};
}
// clang-format on

void append_leisure_categories(std::vector<CategoryLex>& out) {
  out.push_back(garden());
  out.push_back(clothing());
  out.push_back(sports());
  out.push_back(outdoor());
  out.push_back(travel());
  out.push_back(books());
}

}  // namespace kerec::world
