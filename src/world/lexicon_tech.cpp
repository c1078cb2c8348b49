// Lexicon tables: phones, computers, electronics, office, auto.
// Row layout (HeadLex): en, zh, aliases en, aliases zh, unseen en, unseen zh, price, substitute
// tag, complements ("head:strength;..." by English head name).
#include "kerec/world/lexicon.h"

namespace kerec::world {

// clang-format off
static CategoryLex phones() {
  return {"phones", "手机通讯",
      "rugged|slim|magnetic|transparent|waterproof|foldable|leather|fast|compact|premium|budget|kids|gaming|wireless|silicone|ultra|mini|dual|retro|solar",
      "防摔|超薄|磁吸|透明|防水|折叠|真皮|快充|小巧|高端|入门|儿童|游戏|无线|硅胶|超强|迷你|双口|复古|太阳能",
      "colour|model_year", {
    {"phone", "手机", "cellphone|mobile phone", "移动电话|手提电话", "smartphone|handset", "智能机|大屏机", 400, "",
     "phone case:0.9;screen protector:0.85;phone charger:0.6;charging cable:0.5;power bank:0.45;phone holder:0.3;earbuds:0.35"},
    {"phone case", "手机壳", "phone cover|bumper case", "手机套|保护壳", "phone shell|phone skin", "防摔壳|手机外壳", 15, "",
     "screen protector:0.3"},
    {"screen protector", "钢化膜", "screen guard|tempered glass", "手机膜|贴膜", "screen film|glass protector", "保护膜|屏幕膜", 10, "",
     "phone case:0.25"},
    {"phone charger", "充电器", "wall charger|charging adapter", "充电头|电源适配器", "charger plug|power adapter", "快充头|插头充电器", 20, "charging",
     "charging cable:0.7"},
    {"charging cable", "数据线", "usb cable|charge cable", "充电线", "lightning cable|type c cable", "快充线|闪充线", 8, "",
     "phone charger:0.3"},
    {"power bank", "充电宝", "portable charger|battery pack", "移动电源", "external battery|juice pack", "外接电池|充电电池包", 25, "charging",
     "charging cable:0.6"},
    {"phone holder", "手机支架", "phone stand|phone mount", "手机座", "phone cradle|phone grip", "懒人支架|手机托", 12, "", ""},
    {"sim card", "电话卡", "prepaid sim|sim", "手机卡|流量卡", "nano sim|esim card", "上网卡|号卡", 10, "", "phone:0.2"},
    {"smartwatch", "智能手表", "smart watch|fitness watch", "运动手表", "wrist computer|connected watch", "电话手表|智能腕表", 150, "",
     "watch band:0.7;phone charger:0.2"},
    {"watch band", "表带", "watch strap|wristband strap", "腕带", "watch bracelet|strap band", "手表带|替换表带", 12, "", ""},
    {"selfie stick", "自拍杆", "selfie pole", "自拍棒", "monopod|selfie rod", "自拍神器|伸缩杆", 15, "", ""},
  }};
}

static CategoryLex computers() {
  return {"computers", "电脑办公",
      "mechanical|ergonomic|gaming|wireless|portable|silent|backlit|compact|aluminum|foldable|vertical|colorful|office|student|travel|slim|dual-mode|premium|budget",
      "机械|人体工学|电竞|无线|便携|静音|背光|紧凑|铝合金|折叠|立式|炫彩|办公|学生|旅行|轻薄|双模|高端|入门",
      "colour|model_year", {
    {"laptop", "笔记本电脑", "notebook computer|notebook pc", "笔记本|手提电脑", "ultrabook|portable computer", "轻薄本|便携电脑", 800, "computer",
     "laptop bag:0.7;mouse:0.6;laptop sleeve:0.5;usb hub:0.45;laptop stand:0.4"},
    {"desktop computer", "台式电脑", "desktop pc|tower pc", "台式机|主机", "gaming rig|workstation pc", "组装机|电脑主机", 700, "computer",
     "monitor:0.8;keyboard:0.75;mouse:0.75;webcam:0.3"},
    {"monitor", "显示器", "computer monitor|display screen", "电脑屏幕|显示屏", "lcd display|pc screen", "液晶屏|电脑显示器", 180, "",
     "hdmi cable:0.6;monitor arm:0.5"},
    {"keyboard", "键盘", "computer keyboard", "电脑键盘", "keeb|typing board", "打字键盘|键盘套装", 40, "", "mouse:0.5;mouse pad:0.4"},
    {"mouse", "鼠标", "computer mouse|pc mouse", "电脑鼠标", "clicker|pointing device", "滑鼠|光电鼠", 20, "", "mouse pad:0.7"},
    {"mouse pad", "鼠标垫", "mousepad|mouse mat", "鼠标垫板", "desk mat|gaming mat", "电竞垫|桌面垫", 10, "", ""},
    {"usb hub", "扩展坞", "docking station|usb splitter", "集线器|拓展坞", "port hub|dongle hub", "转换坞|多口转接器", 30, "", "hdmi cable:0.3"},
    {"laptop bag", "电脑包", "laptop backpack|computer bag", "笔记本包", "laptop carrier|notebook bag", "电脑背包|商务包", 35, "laptop bag", ""},
    {"laptop sleeve", "电脑内胆包", "laptop case|notebook sleeve", "内胆包", "laptop pouch|sleeve case", "电脑保护套|笔记本套", 18, "laptop bag", ""},
    {"laptop stand", "笔记本支架", "laptop riser|notebook stand", "电脑支架", "laptop tray|cooling stand", "散热支架|增高架", 25, "", ""},
    {"webcam", "摄像头", "web camera|pc camera", "电脑摄像头", "usb camera|video cam", "网络摄像机|视频头", 35, "", ""},
    {"hdmi cable", "高清线", "hdmi cord|video cable", "视频线", "display cable|hdmi lead", "显示器线|连接线", 8, "", ""},
    {"monitor arm", "显示器支架", "monitor mount|monitor stand", "屏幕支架", "screen arm|vesa mount", "显示器臂|悬臂支架", 40, "", ""},
  }};
}

static CategoryLex electronics() {
  return {"electronics", "数码影音",
      "noise-cancelling|portable|waterproof|wireless|ultra-hd|retro|compact|professional|studio|kids|outdoor|smart|mini|premium|budget|sport|vintage",
      "降噪|便携|防水|无线|超清|复古|小巧|专业|录音室|儿童|户外|智能|迷你|高端|入门|运动|经典",
      "colour|model_year", {
    {"earbuds", "蓝牙耳机", "earphones|in-ear headphones", "耳机|入耳耳机", "earpods|ear buds", "豆豆耳机|无线耳塞", 60, "personal audio",
     "charging cable:0.3"},
    {"headphones", "头戴耳机", "over-ear headphones|headset", "耳麦|头戴式耳机", "cans|studio headphones", "耳罩耳机|监听耳机", 90, "personal audio",
     "headphone stand:0.4"},
    {"bluetooth speaker", "蓝牙音箱", "portable speaker|wireless speaker", "音箱|小音箱", "boombox|sound box", "音响|低音炮", 50, "", ""},
    {"camera", "相机", "digital camera|dslr", "数码相机|单反", "mirrorless camera|shooter", "微单|照相机", 600, "",
     "memory card:0.85;camera bag:0.6;tripod:0.55;camera lens:0.5"},
    {"memory card", "存储卡", "sd card|micro sd", "内存卡|闪存卡", "flash card|storage card", "相机卡|记忆卡", 15, "", ""},
    {"tripod", "三脚架", "camera tripod|camera stand", "脚架", "tripod stand|gorillapod", "相机支架|稳定支架", 30, "", ""},
    {"camera bag", "相机包", "camera backpack|camera case", "摄影包", "gadget bag|lens bag", "单反包|镜头包", 35, "", ""},
    {"camera lens", "镜头", "zoom lens|photo lens", "相机镜头", "prime lens|glass lens", "定焦镜头|变焦头", 300, "", ""},
    {"tv", "电视", "television|smart tv", "电视机|液晶电视", "flat screen|telly", "平板电视|大彩电", 450, "",
     "tv mount:0.7;soundbar:0.55;hdmi cable:0.5;streaming stick:0.4"},
    {"tv mount", "电视挂架", "tv bracket|wall mount", "电视支架", "tv wall bracket|tv arm", "挂墙架|壁挂支架", 30, "", ""},
    {"soundbar", "回音壁", "sound bar|tv speaker", "条形音箱", "home theater bar|speaker bar", "家庭影院音箱|电视音响", 150, "", ""},
    {"streaming stick", "电视盒子", "streaming device|media player", "网络机顶盒", "streaming dongle|tv stick", "投屏器|智能盒子", 40, "", ""},
    {"headphone stand", "耳机架", "headset stand|headphone hanger", "耳机支架", "headphone holder|headset hook", "耳机挂架|耳麦架", 15, "", ""},
  }};
}

static CategoryLex office() {
  return {"office", "文具办公",
      "refillable|erasable|retractable|ergonomic|recycled|premium|pocket|heavy-duty|colorful|minimalist|student|executive|magnetic|waterproof|portable|vintage|transparent|desktop",
      "可替换|可擦|按动|人体工学|再生|高端|口袋|重型|彩色|简约|学生|商务|磁吸|防水|便携|复古|透明|桌面",
      "colour|pack", {
    {"notebook", "记事本", "journal|notepad", "笔记簿|记录本", "jotter|composition book", "手账本|便签本", 6, "", "gel pen:0.6;pencil case:0.3"},
    {"gel pen", "中性笔", "rollerball pen|ink pen", "签字笔|水笔", "gel ink pen|writing pen", "碳素笔|走珠笔", 3, "pen", "pen refill:0.7;notebook:0.3"},
    {"pen refill", "笔芯", "ink refill|refill cartridge", "替芯", "pen ink|refill lead", "中性笔芯|替换芯", 2, "", ""},
    {"fountain pen", "钢笔", "nib pen|dip pen", "墨水笔", "calligraphy pen|writing nib", "书法笔|美工笔", 25, "pen", "bottled ink:0.8;notebook:0.4"},
    {"bottled ink", "墨水", "fountain pen ink|ink bottle", "钢笔墨水", "ink pot|writing ink", "墨水瓶|彩墨", 8, "", ""},
    {"stapler", "订书机", "stapling machine|paper stapler", "钉书机", "staple gun|binder tool", "订书器|装订机", 8, "", "staples:0.85"},
    {"staples", "订书钉", "staple pins|stapler refill", "钉书钉", "staple wire|binding staples", "订书针|钉书针", 2, "", ""},
    {"printer", "打印机", "inkjet printer|laser printer", "喷墨打印机|激光打印机", "printing machine|print station", "打印一体机|复印打印机", 150, "",
     "ink cartridge:0.9;printer paper:0.8"},
    {"ink cartridge", "墨盒", "printer ink|toner cartridge", "硒鼓|打印墨盒", "toner|ink tank", "碳粉盒|墨粉", 30, "", ""},
    {"printer paper", "打印纸", "copy paper|a4 paper", "复印纸|办公用纸", "paper ream|office paper", "白纸包|打印用纸", 6, "", ""},
    {"desk lamp", "台灯", "reading lamp|study lamp", "护眼灯|书桌灯", "task light|table lamp", "学习灯|读写灯", 30, "", ""},
    {"pencil case", "笔袋", "pen pouch|pencil pouch", "文具袋|铅笔盒", "pen case|stationery bag", "笔盒|文具盒", 6, "", ""},
    {"sticky notes", "便利贴", "post-it notes|sticky pad", "便签纸|贴纸便签", "memo stickers|note tabs", "便条贴|标签贴", 3, "", ""},
  }};
}

static CategoryLex automotive() {
  return {"auto", "汽车用品",
      "universal|magnetic|heavy-duty|portable|premium|waterproof|leather|wireless|compact|cordless|digital|all-weather|ceramic|quick-dry|luxury|sport|smart|heated",
      "通用|磁吸|重型|便携|高端|防水|真皮|无线|小巧|无绳|数显|全天候|陶瓷|速干|豪华|运动|智能|加热",
      "colour|pack", {
    {"car phone mount", "车载手机支架", "car mount|dashboard mount", "车载支架", "vent mount|car cradle", "出风口支架|导航支架", 15, "", ""},
    {"car charger", "车载充电器", "car adapter|cigarette lighter charger", "车充", "car usb charger|auto charger", "点烟器充电器|车用充电头", 12, "",
     "charging cable:0.5"},
    {"dash cam", "行车记录仪", "dashboard camera|car dvr", "记录仪", "car camera|driving recorder", "车载摄像头|行车摄像机", 60, "",
     "memory card:0.7"},
    {"car seat cover", "汽车座套", "seat cover|car seat cushion", "座椅套|坐垫", "seat protector|auto seat cover", "车座套|座垫套", 40, "", ""},
    {"car wax", "车蜡", "car polish|auto wax", "汽车蜡|镀膜蜡", "paint sealant|wax polish", "车漆蜡|养护蜡", 15, "", "microfiber cloth:0.6"},
    {"microfiber cloth", "洗车毛巾", "car towel|cleaning cloth", "擦车布", "drying towel|detailing cloth", "超细纤维布|洗车布", 5, "", ""},
    {"tire inflator", "打气泵", "air compressor|tyre pump", "充气泵|车载气泵", "tire pump|air pump", "轮胎充气机|补气泵", 35, "", ""},
    {"car air freshener", "车载香薰", "car freshener|car scent", "汽车香水|车用香薰", "vent clip scent|car perfume", "车内香氛|空气清新剂", 8, "", ""},
    {"jump starter", "应急启动电源", "battery jump starter|jump pack", "搭电宝|启动电源", "booster pack|car battery booster", "打火宝|汽车电瓶启动器", 60, "", ""},
    {"floor mats", "汽车脚垫", "car floor mats|car mats", "脚垫|车垫", "floor liners|car carpet", "车用地毯|地胶垫", 40, "", ""},
    {"car vacuum", "车载吸尘器", "handheld car vacuum|auto vacuum", "车用吸尘器", "car duster|portable car vacuum", "迷你吸尘器|车内吸尘机", 35, "", ""},
  }};
}
// clang-format on

void append_tech_categories(std::vector<CategoryLex>& out) {
  out.push_back(phones());
  out.push_back(computers());
  out.push_back(electronics());
  out.push_back(office());
  out.push_back(automotive());
}

}  // namespace kerec::world
