window.YTD.deleted_tweets.part0 = [
  {
    "tweet" : {
      "retweeted" : false,
      "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities" : { "hashtags" : [ ], "symbols" : [ ], "user_mentions" : [ ], "urls" : [ ] },
      "display_text_range" : [ "0", "92" ],
      "favorite_count" : "1",
      "id_str" : "1856200246686646272",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1856200246686646272",
      "created_at" : "Tue Nov 12 05:00:00 +0000 2024",
      "favorited" : false,
      "full_text" : "Bagi yang belum dapat undangan, silakan hubungi saya untuk ikut rombongan ke kampanye akbar.",
      "lang" : "in",
      "deleted_at" : "2024-11-13T10:00:00.000Z"
    }
  }
]
