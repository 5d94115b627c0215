"""Reference data for the TVMaze generator: channels, genres and name parts, shaped like the real API."""

from __future__ import annotations

US = {"name": "United States", "code": "US", "timezone": "America/New_York"}
GB = {"name": "United Kingdom", "code": "GB", "timezone": "Europe/London"}
KR = {"name": "Korea, Republic of", "code": "KR", "timezone": "Asia/Seoul"}
CA = {"name": "Canada", "code": "CA", "timezone": "America/Halifax"}

# (id, name, country, officialSite). Ids follow TVMaze's where known; networks and web channels
# are separate id spaces (network 1 is NBC, web channel 1 is Netflix).
NETWORKS = [
    (1, "NBC", US, "https://www.nbc.com/"),
    (2, "CBS", US, "https://www.cbs.com/"),
    (3, "ABC", US, "https://abc.com/"),
    (4, "FOX", US, "https://www.fox.com/"),
    (5, "The CW", US, "https://www.cwtv.com/"),
    (8, "HBO", US, "https://www.hbo.com/"),
    (10, "Adult Swim", US, None),
    (11, "Cartoon Network", US, None),
    (13, "FX", US, "https://www.fxnetworks.com/"),
    (16, "Syfy", US, None),
    (18, "Lifetime", US, None),
    (20, "AMC", US, "https://www.amc.com/"),
    (23, "Comedy Central", US, None),
    (27, "Nickelodeon", US, None),
    (29, "A&E", US, None),
    (52, "Bravo", US, None),
    (53, "History", US, None),
    (66, "Discovery", US, None),
    (78, "Disney Channel", US, None),
    (80, "TLC", US, None),
    (81, "Food Network", US, None),
    (85, "PBS", US, "https://www.pbs.org/"),
    (192, "HGTV", US, None),
    (155, "ESPN", US, None),
    (26, "FXX", US, None),
    (12, "BBC One", GB, "https://www.bbc.co.uk/bbcone"),
    (35, "ITV1", GB, None),
    (45, "Channel 4", GB, None),
    (49, "BBC Two", GB, None),
    (156, "tvN", KR, None),
    (268, "JTBC", KR, None),
    (70, "CBC", CA, None),
]
WEB_CHANNELS = [
    (1, "Netflix", None, "https://www.netflix.com/"),
    (3, "Prime Video", None, "https://www.primevideo.com/"),
    (21, "YouTube", None, "https://www.youtube.com/"),
    (287, "Disney+", None, "https://www.disneyplus.com/"),
    (310, "Apple TV+", None, "https://tv.apple.com/"),
    (2, "Hulu", US, "https://www.hulu.com/"),
    (347, "Peacock", US, "https://www.peacocktv.com/"),
    (329, "HBO Max", US, "https://www.hbomax.com/"),
    (107, "Paramount+", US, "https://www.paramountplus.com/"),
    (452, "Tubi", US, None),
]

GENRES = [
    "Drama",
    "Comedy",
    "Action",
    "Crime",
    "Thriller",
    "Science-Fiction",
    "Fantasy",
    "Romance",
    "Family",
    "Children",
    "Anime",
    "Mystery",
    "Horror",
    "Adventure",
    "Food",
    "Music",
    "History",
    "Medical",
    "Legal",
    "Supernatural",
    "Sports",
    "Travel",
    "Nature",
    "War",
    "Western",
    "DIY",
]
# (type, share of shows, typical runtimes, airs every weekday)
SHOW_TYPES = [
    ("Scripted", 0.46, (30, 60, 45, 22), False),
    ("Reality", 0.16, (60, 45), False),
    ("Talk Show", 0.08, (60, 30), True),
    ("Documentary", 0.08, (60, 50), False),
    ("News", 0.05, (30, 60), True),
    ("Animation", 0.09, (22, 30, 11), False),
    ("Variety", 0.03, (60, 90), False),
    ("Sports", 0.03, (120, 180), False),
    ("Game Show", 0.02, (30, 60), True),
]
LANGUAGES = ["English"] * 12 + ["Spanish", "Korean", "Japanese", "French", "German"]
STATUSES = ["Running"] * 8 + ["To Be Determined", "Ended", "In Development"]
ADJECTIVES = [
    "Dark",
    "Silent",
    "Golden",
    "Broken",
    "Wild",
    "Hidden",
    "Last",
    "Little",
    "Big",
    "Lost",
    "Bright",
    "Secret",
    "Northern",
    "Midnight",
    "Royal",
    "Grand",
    "Savage",
    "Gentle",
    "Iron",
    "Blue",
]
NOUNS = [
    "Harbor",
    "Kingdom",
    "Kitchen",
    "Empire",
    "Squad",
    "Files",
    "Island",
    "Hospital",
    "Station",
    "House",
    "Frontier",
    "Academy",
    "Lies",
    "Chronicles",
    "Road",
    "Court",
    "Garden",
    "Hearts",
    "Signal",
    "Summer",
]
KOREAN = ["비밀의 숲", "응답하라", "슬기로운 의사생활", "나의 아저씨", "이상한 변호사", "눈물의 여왕"]
TALK_NAMES = ["Tonight with", "Late Night with", "The Morning Show with", "Live with", "After Dark with"]
HOSTS = ["Jimmy Reyes", "Sam Porter", "Alex Kim", "Morgan Lee", "Pat Quinn", "Dana Cole", "Chris Vale"]
SUMMARY_BITS = [
    "<b>{name}</b> follows a family &amp; its secrets.",
    "A <i>bold</i> new chapter begins when the team faces its greatest threat.",
    "Guests include a chef, a comedian &amp; a scientist.",
    "The crew investigates a case that hits close to home &mdash; and nothing is what it seems.",
    "&quot;{name}&quot; returns with higher stakes than ever.",
]
