// Lexicon tables: coffee & tea, bakery, groceries, kitchen. Row layout as in lexicon_tech.cpp.
#include "kerec/world/lexicon.h"

namespace kerec::world {

// clang-format off
static CategoryLex coffee_tea() {
  return {"coffee_tea", "咖啡茶饮",
      "organic|decaf|single-origin|premium|fair-trade|artisan|italian|colombian|ethiopian|cold-brew|vanilla|hazelnut|caramel|electric|manual|ceramic|travel|japanese",
      "有机|低因|单品|精品|公平贸易|手工|意式|哥伦比亚|埃塞俄比亚|冷萃|香草|榛果|焦糖|电动|手动|陶瓷|旅行|日式",
      "weight|flavour", {
    {"coffee beans", "咖啡豆", "whole bean coffee|coffee bean", "咖啡原豆", "roasted beans|espresso beans", "烘焙豆|意式豆", 15, "coffee",
     "coffee grinder:0.8;coffee filter:0.5;french press:0.5;milk frother:0.4;croissant:0.35"},
    {"ground coffee", "咖啡粉", "coffee powder|filter coffee", "研磨咖啡", "coffee grounds|pre-ground coffee", "现磨咖啡粉|挂耳粉", 12, "coffee",
     "coffee filter:0.7;french press:0.4;croissant:0.3"},
    {"instant coffee", "速溶咖啡", "soluble coffee|coffee sachets", "三合一咖啡|咖啡冲剂", "coffee mix|coffee sticks", "即溶咖啡|速溶粉", 8, "coffee",
     "coffee mug:0.4"},
    {"coffee capsules", "咖啡胶囊", "coffee pods|capsule coffee", "胶囊咖啡", "k-cups|coffee pod", "咖啡囊|胶囊粉", 10, "coffee", "coffee mug:0.3"},
    {"coffee machine", "咖啡机", "espresso machine|coffee maker", "咖啡壶", "espresso maker|brewer", "煮咖啡机|咖啡一体机", 200, "",
     "coffee beans:0.7;coffee capsules:0.6;milk frother:0.5;descaler:0.45;coffee mug:0.35"},
    {"coffee grinder", "磨豆机", "bean grinder|coffee mill", "咖啡研磨机", "burr grinder|grinder", "研磨器|磨粉机", 40, "", "coffee beans:0.6"},
    {"milk frother", "奶泡机", "milk foamer|frother", "打奶器|起泡器", "foam maker|latte frother", "奶泡器|打泡器", 25, "", ""},
    {"french press", "法压壶", "coffee press|plunger pot", "冲茶器|法式压壶", "press pot|cafetiere", "压滤壶|滤压壶", 20, "",
     "ground coffee:0.6;coffee beans:0.5"},
    {"coffee filter", "咖啡滤纸", "paper filters|filter paper", "滤纸", "cone filters|drip filters", "滤杯纸|手冲滤纸", 4, "", ""},
    {"green tea", "绿茶", "sencha|green tea leaves", "绿茶叶|龙井", "loose green tea|jade tea", "炒青|碧螺春", 15, "tea", "teapot:0.6"},
    {"black tea", "红茶", "english breakfast tea|black tea leaves", "红茶叶|祁门红茶", "assam tea|ceylon tea", "滇红|正山小种", 12, "tea",
     "teapot:0.5;honey:0.3"},
    {"teapot", "茶壶", "tea pot|infuser pot", "泡茶壶", "brewing pot|tea brewer", "紫砂壶|冲茶壶", 25, "", "green tea:0.4;black tea:0.4"},
    {"coffee mug", "马克杯", "mug|coffee cup", "咖啡杯|陶瓷杯", "tumbler mug|cuppa mug", "水杯|茶杯", 10, "", ""},
    {"descaler", "除垢剂", "descaling solution|limescale remover", "除水垢剂", "decalcifier|scale remover", "去垢剂|除钙剂", 10, "", ""},
  }};
}

static CategoryLex bakery() {
  return {"bakery", "烘焙面包",
      "whole-wheat|gluten-free|chocolate|almond|vanilla|strawberry|blueberry|cinnamon|vegan|mini|fresh|french|organic|matcha|sesame|raisin|walnut|rye|artisan|sugar-free|frozen",
      "全麦|无麸质|巧克力|杏仁|香草|草莓|蓝莓|肉桂|纯素|迷你|新鲜|法式|有机|抹茶|芝麻|葡萄干|核桃|黑麦|手工|无糖|速冻",
      "pack|flavour", {
    {"croissant", "牛角包", "butter croissant|crescent roll", "可颂", "viennoiserie|crescent pastry", "羊角面包|可颂面包", 3, "pastry",
     "jam:0.5;butter:0.4;coffee beans:0.3"},
    {"bagel", "贝果", "bagels|plain bagel", "百吉饼", "bialy|ring bread", "硬面包圈|面包圈", 3, "bread", "cream cheese:0.75"},
    {"sourdough bread", "酸面包", "sourdough|sourdough loaf", "酸种面包|欧包", "country loaf|levain bread", "天然酵种面包|老面包", 6, "bread",
     "butter:0.6;jam:0.4"},
    {"baguette", "法棍", "french bread|french stick", "法式长棍|长棍面包", "stick loaf|parisian loaf", "棍子面包|法国面包", 3, "bread", "butter:0.5"},
    {"muffin", "玛芬", "muffins|breakfast muffin", "松饼|马芬", "muffin cake|bran muffin", "杯子蛋糕|玛芬蛋糕", 3, "pastry", "instant coffee:0.2"},
    {"birthday cake", "生日蛋糕", "celebration cake|layer cake", "蛋糕|奶油蛋糕", "party cake|sponge cake", "庆生蛋糕|水果蛋糕", 30, "",
     "birthday candles:0.9"},
    {"birthday candles", "生日蜡烛", "cake candles|number candles", "蛋糕蜡烛", "candle set|party candles", "数字蜡烛|蜡烛套装", 3, "",
     "birthday cake:0.25"},
    {"cream cheese", "奶油奶酪", "cheese spread|soft cheese", "奶油芝士|奶酪酱", "schmear|philly cheese", "芝士抹酱|软奶酪", 5, "", ""},
    {"butter", "黄油", "salted butter|unsalted butter", "牛油", "butter block|dairy butter", "动物黄油|发酵黄油", 5, "", ""},
    {"jam", "果酱", "fruit jam|preserves", "果子酱", "jelly spread|fruit spread", "果泥酱|抹酱", 4, "", ""},
    {"baking flour", "面粉", "all-purpose flour|bread flour", "高筋面粉|小麦粉", "plain flour|wheat flour", "中筋粉|低筋面粉", 5, "",
     "yeast:0.7;baking pan:0.5"},
    {"yeast", "酵母", "dry yeast|baking yeast", "酵母粉|干酵母", "instant yeast|leavening", "发酵粉|酵头", 2, "", ""},
    {"baking pan", "烤盘", "baking tray|cake pan", "烘焙模具|蛋糕模", "sheet pan|bakeware", "烤模|烘焙盘", 12, "", ""},
  }};
}

static CategoryLex groceries() {
  return {"groceries", "食品生鲜",
      "organic|imported|low-fat|spicy|family-size|premium|gluten-free|sugar-free|whole-grain|fresh|salted|roasted|original|classic|natural|local|farm|korean|thai",
      "有机|进口|低脂|香辣|家庭装|精选|无麸质|无糖|全谷物|新鲜|咸味|烘烤|原味|经典|天然|本地|农场|韩式|泰式",
      "weight|pack", {
    {"rice", "大米", "white rice|jasmine rice", "香米|东北大米", "long grain rice|steamed rice", "稻米|白米", 10, "", "soy sauce:0.35"},
    {"pasta", "意大利面", "spaghetti|macaroni", "意面|通心粉", "linguine|penne", "螺旋面|直身面", 3, "", "pasta sauce:0.8;olive oil:0.4"},
    {"pasta sauce", "意面酱", "tomato sauce|marinara", "番茄肉酱|意粉酱", "bolognese|pasta topping", "肉酱|拌面酱", 4, "", ""},
    {"olive oil", "橄榄油", "extra virgin olive oil|evoo", "初榨橄榄油", "cooking oil|salad oil", "食用油|色拉油", 10, "", ""},
    {"soy sauce", "酱油", "soya sauce|shoyu", "生抽|老抽", "tamari|seasoning sauce", "酱汁|豉油", 3, "", ""},
    {"instant noodles", "方便面", "ramen|cup noodles", "泡面|杯面", "noodle cup|quick noodles", "速食面|拉面", 2, "", ""},
    {"cereal", "麦片", "breakfast cereal|cornflakes", "燕麦片|谷物早餐", "granola|muesli", "麦圈|早餐脆", 5, "", "milk:0.8"},
    {"milk", "牛奶", "whole milk|dairy milk", "纯牛奶|鲜奶", "fresh milk|skim milk", "牛乳|鲜牛乳", 3, "", "cereal:0.4"},
    {"eggs", "鸡蛋", "egg carton|free range eggs", "土鸡蛋|柴鸡蛋", "dozen eggs|hen eggs", "笨鸡蛋|初生蛋", 4, "", ""},
    {"honey", "蜂蜜", "raw honey|honey jar", "蜂糖|土蜂蜜", "manuka|wild honey", "槐花蜜|百花蜜", 8, "", ""},
    {"potato chips", "薯片", "crisps|chips", "土豆片|膨化薯片", "kettle chips|potato crisps", "洋芋片|脆片", 2, "", "soda:0.5"},
    {"soda", "汽水", "soft drink|fizzy drink", "碳酸饮料|可乐", "soda pop|cola", "苏打水|气泡饮料", 1, "", ""},
    {"mixed nuts", "坚果", "nuts|trail mix", "混合坚果|每日坚果", "nut mix|assorted nuts", "果仁|干果", 8, "", ""},
  }};
}

static CategoryLex kitchen() {
  return {"kitchen", "厨房用品",
      "nonstick|stainless|cast-iron|ceramic|bamboo|electric|compact|professional|induction|glass|wooden|silicone|smart|heavy-duty|japanese|german|foldable|copper|titanium",
      "不粘|不锈钢|铸铁|陶瓷|竹制|电动|小巧|专业|电磁炉|玻璃|木质|硅胶|智能|重型|日式|德式|折叠|紫铜|钛合金",
      "colour|size", {
    {"rice cooker", "电饭煲", "rice maker|electric rice cooker", "电饭锅", "rice steamer|multicooker", "煮饭锅|智能饭煲", 50, "", "rice:0.6"},
    {"frying pan", "平底锅", "skillet|fry pan", "煎锅", "saute pan|griddle pan", "不粘锅|煎盘", 25, "pan", "spatula:0.6;olive oil:0.3"},
    {"wok", "炒锅", "stir fry pan|chinese wok", "铁锅", "wok pan|carbon steel wok", "大炒锅|中华锅", 30, "pan", "spatula:0.6;soy sauce:0.3"},
    {"spatula", "锅铲", "turner|cooking spatula", "铲子", "flipper|fish slice", "炒菜铲|煎铲", 6, "", ""},
    {"knife set", "刀具套装", "kitchen knives|chef knife set", "菜刀|厨房刀具", "blade set|knife block", "刀组|厨刀", 45, "",
     "cutting board:0.8;knife sharpener:0.55"},
    {"cutting board", "砧板", "chopping board|chopping block", "菜板|案板", "carving board|prep board", "切菜板|切板", 12, "", "knife set:0.3"},
    {"knife sharpener", "磨刀器", "sharpening stone|whetstone", "磨刀石", "honing rod|sharpening steel", "磨刀棒|磨刀神器", 10, "", ""},
    {"electric kettle", "电水壶", "kettle|water boiler", "烧水壶|热水壶", "tea kettle|hot water kettle", "电热壶|开水壶", 25, "", "green tea:0.2"},
    {"blender", "破壁机", "smoothie maker|food blender", "料理机|榨汁机", "juicer|liquidizer", "搅拌机|豆浆机", 60, "", ""},
    {"food container", "保鲜盒", "food storage box|meal prep container", "饭盒|便当盒", "tupperware|lunch box", "密封盒|餐盒", 10, "", ""},
    {"dish soap", "洗洁精", "dishwashing liquid|washing up liquid", "洗碗液", "dish detergent|dish gel", "餐具清洁剂|洗涤灵", 4, "", "dish sponge:0.6"},
    {"dish sponge", "洗碗海绵", "kitchen sponge|scrub sponge", "百洁布|洗碗布", "scrubber|scouring pad", "清洁海绵|刷碗布", 2, "", ""},
    {"oven mitts", "隔热手套", "oven gloves|pot holders", "烤箱手套", "heat gloves|kitchen mitts", "防烫手套|微波炉手套", 6, "", ""},
  }};
}
// clang-format on

void append_food_categories(std::vector<CategoryLex>& out) {
  out.push_back(coffee_tea());
  out.push_back(bakery());
  out.push_back(groceries());
  out.push_back(kitchen());
}

}  // namespace kerec::world
