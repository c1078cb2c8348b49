// Lexicon tables: baby, pets, beauty, health, home. Row layout as in lexicon_tech.cpp.
#include "kerec/world/lexicon.h"

namespace kerec::world {

// clang-format off
static CategoryLex baby() {
  return {"baby", "母婴用品",
      "organic|newborn|hypoallergenic|ultra-thin|overnight|portable|anti-colic|glass|silicone|lightweight|foldable|smart|natural|sensitive|unscented|premium|breathable|travel",
      "有机|新生儿|低敏|超薄|夜用|便携|防胀气|玻璃|硅胶|轻便|折叠|智能|天然|敏感肌|无香|高端|透气|旅行",
      "size|pack", {
    {"diapers", "纸尿裤", "nappies|baby diapers", "尿不湿|尿片", "pull-ups|diaper pants", "拉拉裤|婴儿尿布", 25, "diaper",
     "baby wipes:0.85;diaper cream:0.6"},
    {"baby wipes", "湿巾", "wet wipes|baby wet wipes", "婴儿湿巾", "wipes|cleansing wipes", "湿纸巾|手口湿巾", 5, "", ""},
    {"baby formula", "奶粉", "infant formula|formula milk", "婴儿奶粉", "milk powder|toddler formula", "配方奶|配方奶粉", 30, "",
     "baby bottle:0.8;bottle sterilizer:0.5"},
    {"baby bottle", "奶瓶", "feeding bottle|infant bottle", "婴儿奶瓶", "sippy bottle|nursing bottle", "宝宝奶瓶|玻璃奶瓶", 12, "",
     "bottle brush:0.6;baby formula:0.3"},
    {"bottle brush", "奶瓶刷", "bottle cleaner|nipple brush", "奶嘴刷", "bottle scrubber|teat brush", "清洁刷|洗瓶刷", 5, "", ""},
    {"bottle sterilizer", "消毒器", "sterilizer|steam sterilizer", "奶瓶消毒器", "uv sterilizer|sterilising unit", "消毒锅|烘干消毒柜", 45, "", ""},
    {"stroller", "婴儿车", "pram|pushchair", "推车|童车", "buggy|baby carriage", "手推车|宝宝车", 150, "", "baby carrier:0.2"},
    {"baby carrier", "婴儿背带", "baby sling|baby wrap", "背带|抱婴腰凳", "kangaroo carrier|hip seat", "腰凳|背巾", 40, "", ""},
    {"diaper cream", "护臀膏", "rash cream|nappy cream", "屁屁霜|护臀霜", "barrier cream|zinc cream", "尿布疹膏|宝宝护臀", 8, "", ""},
    {"pacifier", "安抚奶嘴", "dummy|soother", "奶嘴", "binky|teether", "假奶嘴|安睡奶嘴", 6, "", ""},
    {"baby monitor", "婴儿监视器", "baby cam|nursery monitor", "宝宝监护器|看护器", "baby camera|baby alarm", "婴儿摄像头|宝宝监控", 60, "", ""},
    {"cloth diapers", "布尿布", "reusable diapers|cloth nappies", "尿布", "washable nappies|diaper inserts", "可洗尿布|棉尿布", 15, "diaper",
     "diaper cream:0.5"},
  }};
}

static CategoryLex pets() {
  return {"pets", "宠物用品",
      "grain-free|senior|indoor|large-breed|small-breed|organic|hypoallergenic|reflective|retractable|automatic|stainless|ceramic|eco|scented|unscented|premium|natural|salmon|chicken|waterproof",
      "无谷|老年|室内|大型犬|小型犬|有机|低敏|反光|伸缩|自动|不锈钢|陶瓷|环保|香味|无味|高端|天然|三文鱼|鸡肉|防水",
      "colour|size", {
    {"dog food", "狗粮", "dog kibble|puppy food", "犬粮", "kibble|dog chow", "狗饭|幼犬粮", 30, "", "pet bowl:0.6;dog treats:0.5"},
    {"cat food", "猫粮", "cat kibble|kitten food", "猫饭", "cat chow|feline food", "幼猫粮|猫咪粮", 25, "", "cat litter:0.7;pet bowl:0.4"},
    {"cat litter", "猫砂", "kitty litter|litter sand", "猫沙", "clumping litter|tofu litter", "豆腐砂|膨润土砂", 12, "", "litter box:0.75"},
    {"litter box", "猫砂盆", "cat toilet|litter tray", "猫厕所", "litter pan|cat loo", "猫砂箱|封闭猫厕", 25, "", "cat litter:0.8"},
    {"dog leash", "牵引绳", "dog lead|pet leash", "狗绳|遛狗绳", "lead rope|walking leash", "狗链|溜狗绳", 12, "",
     "dog collar:0.6;poop bags:0.5"},
    {"dog collar", "狗项圈", "pet collar|puppy collar", "项圈", "neck collar|pet choker", "宠物项圈|狗脖圈", 10, "", ""},
    {"dog treats", "狗零食", "dog biscuits|chew treats", "磨牙棒|宠物零食", "dog snacks|jerky treats", "狗饼干|训练零食", 8, "", ""},
    {"pet bowl", "宠物碗", "dog bowl|cat bowl", "狗碗|猫碗", "feeding dish|food bowl", "食盆|饭盆", 8, "", ""},
    {"poop bags", "拾便袋", "dog waste bags|pooper bags", "捡屎袋", "doggy bags|waste bags", "狗屎袋|便便袋", 3, "", ""},
    {"cat scratcher", "猫抓板", "scratching post|cat scratch board", "磨爪板", "scratch pad|claw board", "猫抓柱|瓦楞猫抓板", 10, "", ""},
    {"pet shampoo", "宠物沐浴露", "dog shampoo|pet wash", "宠物香波", "grooming shampoo|pet soap", "狗狗沐浴露|猫咪香波", 10, "", "pet brush:0.5"},
    {"pet brush", "宠物梳", "grooming brush|deshedding brush", "宠物刷|撸毛梳", "slicker brush|fur comb", "开结梳|除毛梳", 8, "", ""},
    {"aquarium", "鱼缸", "fish tank|aquarium tank", "水族箱", "fishbowl|tank setup", "生态缸|金鱼缸", 60, "",
     "fish food:0.8;aquarium filter:0.75"},
    {"fish food", "鱼食", "fish flakes|fish pellets", "鱼饲料|鱼粮", "tropical flakes|goldfish food", "金鱼饲料|观赏鱼粮", 4, "", ""},
    {"aquarium filter", "过滤器", "tank filter|fish tank filter", "鱼缸过滤器", "filter pump|canister filter", "水族过滤|净水泵", 20, "", ""},
  }};
}

static CategoryLex beauty() {
  return {"beauty", "美妆个护",
      "matte|waterproof|long-lasting|organic|vegan|sensitive|hydrating|anti-aging|travel|mini|professional|natural|fragrance-free|tinted|brightening|nourishing|korean|french|herbal|cordless",
      "哑光|防水|持久|有机|纯素|敏感肌|补水|抗老|旅行|迷你|专业|天然|无香|有色|亮白|滋养|韩系|法式|草本|无线",
      "colour|pack", {
    {"lipstick", "口红", "lip color|lip stick", "唇膏", "lippy|lip rouge", "唇彩|唇釉", 20, "lip", "makeup remover:0.4"},
    {"foundation", "粉底液", "liquid foundation|base makeup", "粉底", "skin tint|coverage foundation", "底妆液|粉底霜", 30, "",
     "makeup sponge:0.7;makeup brush:0.6"},
    {"makeup sponge", "美妆蛋", "beauty blender|beauty sponge", "粉扑", "blending sponge|makeup egg", "海绵蛋|化妆蛋", 5, "", ""},
    {"makeup brush", "化妆刷", "brush set|cosmetic brush", "刷具|粉刷", "blush brush|kabuki brush", "散粉刷|眼影刷", 15, "", ""},
    {"makeup remover", "卸妆水", "micellar water|cleansing water", "卸妆液", "eye makeup remover|cleansing oil", "卸妆油|卸妆乳", 12, "",
     "cotton pads:0.7"},
    {"cotton pads", "化妆棉", "cotton rounds|makeup pads", "卸妆棉", "cotton squares|facial pads", "棉片|洗脸巾", 3, "", ""},
    {"face cream", "面霜", "moisturizer|day cream", "保湿霜|润肤霜", "moisturiser|facial lotion", "乳霜|护肤霜", 25, "", "sunscreen:0.4"},
    {"sunscreen", "防晒霜", "sunblock|sun cream", "防晒乳", "spf lotion|sun lotion", "防晒液|隔离霜", 15, "", ""},
    {"shampoo", "洗发水", "hair shampoo|hair wash", "洗发露|洗发液", "cleansing shampoo|hair cleanser", "香波|洗头膏", 8, "", "conditioner:0.85"},
    {"conditioner", "护发素", "hair conditioner|cream rinse", "润发乳", "detangler|hair rinse", "发膜|护发乳", 8, "", ""},
    {"hair dryer", "吹风机", "blow dryer|hairdryer", "电吹风", "blowdryer|hair blower", "风筒|吹风筒", 40, "", ""},
    {"nail polish", "指甲油", "nail varnish|nail lacquer", "甲油", "nail enamel|nail color", "甲油胶|美甲油", 6, "", "nail polish remover:0.6"},
    {"nail polish remover", "洗甲水", "acetone|polish remover", "卸甲水", "nail varnish remover|nail cleaner", "去甲油|除甲油", 4, "", ""},
    {"razor", "剃须刀", "shaver|shaving razor", "刮胡刀", "safety razor|electric shaver", "电动剃须刀|手动剃刀", 20, "",
     "razor blades:0.8;shaving cream:0.75"},
    {"shaving cream", "剃须膏", "shaving foam|shave gel", "剃须泡沫", "lather|shave cream", "刮胡泡|须泡", 5, "", ""},
    {"razor blades", "刀片", "replacement blades|shaver heads", "剃须刀片", "blade refills|cartridge blades", "替换刀头|刀头", 12, "", ""},
  }};
}

static CategoryLex health() {
  return {"health", "医疗保健",
      "digital|chewable|organic|kids|senior|vegan|portable|disposable|reusable|sugar-free|extra-strength|sterile|daily|natural|premium|smart|travel|waterproof",
      "数字|咀嚼|有机|儿童|老年|纯素|便携|一次性|可重复用|无糖|强效|无菌|日常|天然|高端|智能|旅行|防水",
      "pack|colour", {
    {"vitamins", "维生素", "multivitamin|vitamin tablets", "复合维生素|维他命", "supplements|daily vitamins", "营养片|多维片", 15, "", ""},
    {"fish oil", "鱼油", "omega 3|fish oil capsules", "深海鱼油", "omega capsules|cod liver oil", "欧米伽|鱼肝油", 20, "", ""},
    {"protein powder", "蛋白粉", "whey protein|protein shake", "乳清蛋白", "whey|mass gainer", "增肌粉|健身蛋白", 35, "", "shaker bottle:0.75"},
    {"shaker bottle", "摇摇杯", "protein shaker|shaker cup", "奶昔杯", "blender bottle|mixing bottle", "健身水杯|蛋白粉杯", 8, "", ""},
    {"thermometer", "体温计", "fever thermometer|digital thermometer", "温度计|电子体温计", "ear thermometer|forehead thermometer", "额温枪|耳温枪", 12, "", ""},
    {"face mask", "口罩", "surgical mask|medical mask", "医用口罩", "n95 mask|dust mask", "防尘口罩|一次性口罩", 5, "", ""},
    {"blood pressure monitor", "血压计", "bp monitor|sphygmomanometer", "电子血压计", "bp cuff|pressure meter", "量血压仪|血压仪", 35, "", ""},
    {"first aid kit", "急救包", "first aid box|medical kit", "医药箱|急救箱", "emergency kit|trauma kit", "应急包|家庭药箱", 20, "", "bandages:0.5"},
    {"bandages", "创可贴", "band-aids|plasters", "邦迪|止血贴", "adhesive bandages|sticking plasters", "胶布|伤口贴", 3, "", ""},
    {"contact lenses", "隐形眼镜", "contacts|soft lenses", "隐形镜片", "daily lenses|lens pack", "美瞳|日抛", 25, "",
     "lens solution:0.85;lens case:0.6"},
    {"lens solution", "护理液", "contact solution|saline solution", "隐形眼镜护理液", "lens cleaner|multipurpose solution", "洗眼液|镜片药水", 8, "", ""},
    {"lens case", "隐形眼镜盒", "contact lens case|lens holder", "伴侣盒", "lens container|contact case", "镜片盒|眼镜伴侣盒", 3, "", ""},
    {"heating pad", "暖宝宝", "heat pack|hand warmer", "暖贴|发热贴", "heat patch|warming pad", "暖手宝|自热贴", 4, "", ""},
    {"massage gun", "筋膜枪", "percussion massager|muscle gun", "按摩枪", "massager|deep tissue gun", "肌肉按摩器|震动枪", 80, "", ""},
  }};
}

static CategoryLex home() {
  return {"home", "家居家纺",
      "cotton|linen|silk|memory-foam|blackout|waterproof|anti-slip|foldable|smart|minimalist|nordic|vintage|cordless|eco|hypoallergenic|stackable|dimmable|lavender|luxury",
      "纯棉|亚麻|真丝|记忆棉|遮光|防水|防滑|折叠|智能|简约|北欧|复古|无线|环保|防螨|可叠放|可调光|薰衣草|奢华",
      "colour|size", {
    {"bed sheets", "床单", "sheet set|bedsheets", "床笠|床品", "fitted sheet|bed linen", "四件套|床罩", 30, "", "pillowcase:0.6"},
    {"pillow", "枕头", "bed pillow|sleeping pillow", "枕芯", "memory pillow|down pillow", "乳胶枕|羽绒枕", 20, "", "pillowcase:0.8"},
    {"pillowcase", "枕套", "pillow cover|pillow slip", "枕头套", "pillow sham|case cover", "枕巾|枕头罩", 6, "", ""},
    {"duvet", "被子", "comforter|quilt", "棉被|羽绒被", "doona|bed cover", "被芯|蚕丝被", 60, "", "duvet cover:0.85"},
    {"duvet cover", "被套", "comforter cover|quilt cover", "被罩", "duvet case|doona cover", "被单|被面", 20, "", ""},
    {"curtains", "窗帘", "drapes|window curtains", "遮光帘", "blackout drapes|window panels", "布帘|纱帘", 30, "", "curtain rod:0.7"},
    {"curtain rod", "窗帘杆", "curtain pole|drapery rod", "窗帘轨道|罗马杆", "curtain track|tension rod", "挂帘杆|帘杆", 15, "", ""},
    {"storage box", "收纳箱", "storage bin|organizer box", "收纳盒|整理箱", "tote box|storage crate", "储物箱|置物箱", 12, "", ""},
    {"vacuum cleaner", "吸尘器", "vacuum|hoover", "真空吸尘器", "stick vacuum|cordless vacuum", "手持吸尘器|无线吸尘机", 120, "", "vacuum bags:0.6"},
    {"vacuum bags", "吸尘袋", "dust bags|vacuum filter bags", "集尘袋", "hoover bags|cleaner bags", "尘袋|过滤袋", 8, "", ""},
    {"doormat", "门垫", "door mat|entrance mat", "进门地垫|脚踏垫", "welcome mat|porch mat", "入户垫|门口垫", 10, "", ""},
    {"light bulb", "灯泡", "led bulb|lamp bulb", "节能灯|球泡灯", "bulb|light globe", "电灯泡|照明灯", 3, "", ""},
    {"scented candle", "香薰蜡烛", "aroma candle|candle jar", "香氛蜡烛", "fragrance candle|soy candle", "香薰|蜡烛杯", 15, "", ""},
    {"towel", "毛巾", "bath towel|hand towel", "浴巾|面巾", "terry towel|bath sheet", "洗澡巾|方巾", 8, "", ""},
  }};
}
// clang-format on

void append_living_categories(std::vector<CategoryLex>& out) {
  out.push_back(baby());
  out.push_back(pets());
  out.push_back(beauty());
  out.push_back(health());
  out.push_back(home());
}

}  // namespace kerec::world
