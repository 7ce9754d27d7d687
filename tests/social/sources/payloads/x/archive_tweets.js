window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [ "1856245545169846272" ],
          "editableUntil" : "2024-11-12T09:00:00.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [ ],
        "urls" : [ ],
        "media" : [
          {
            "expanded_url" : "https://x.com/agus_setiyono_dmy/status/1856245545169846272/photo/1",
            "indices" : [ "33", "56" ],
            "url" : "https://t.co/FoTo000001",
            "media_url" : "http://pbs.twimg.com/media/SpanduKecamatan.jpg",
            "id_str" : "1856245545000000000",
            "id" : "1856245545000000000",
            "media_url_https" : "https://pbs.twimg.com/media/SpanduKecamatan.jpg",
            "type" : "photo",
            "display_url" : "pic.x.com/FoTo000001"
          }
        ]
      },
      "extended_entities" : {
        "media" : [
          {
            "expanded_url" : "https://x.com/agus_setiyono_dmy/status/1856245545169846272/photo/1",
            "indices" : [ "33", "56" ],
            "url" : "https://t.co/FoTo000001",
            "media_url" : "http://pbs.twimg.com/media/SpanduKecamatan.jpg",
            "id_str" : "1856245545000000000",
            "id" : "1856245545000000000",
            "media_url_https" : "https://pbs.twimg.com/media/SpanduKecamatan.jpg",
            "type" : "photo",
            "display_url" : "pic.x.com/FoTo000001"
          }
        ]
      },
      "display_text_range" : [ "0", "32" ],
      "favorite_count" : "6",
      "id_str" : "1856245545169846272",
      "truncated" : false,
      "retweet_count" : "1",
      "id" : "1856245545169846272",
      "possibly_sensitive" : false,
      "created_at" : "Tue Nov 12 08:00:00 +0000 2024",
      "favorited" : false,
      "full_text" : "Spanduk baru di depan kecamatan 📸 https://t.co/FoTo000001",
      "lang" : "in"
    }
  },
  {
    "tweet" : {
      "retweeted" : false,
      "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [
          {
            "name" : "Hendra Kusumawardhana",
            "screen_name" : "hendra_kusuma",
            "indices" : [ "3", "17" ],
            "id_str" : "1200000000000000001",
            "id" : "1200000000000000001"
          }
        ],
        "urls" : [ ]
      },
      "display_text_range" : [ "0", "91" ],
      "favorite_count" : "0",
      "id_str" : "1856154948203446272",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1856154948203446272",
      "created_at" : "Tue Nov 12 02:00:00 +0000 2024",
      "favorited" : false,
      "full_text" : "RT @hendra_kusuma: Kampanye dialogis di Pasar Donomulyo besok pukul 08.00. Ajak keluarga! 🤝",
      "lang" : "in"
    }
  },
  {
    "tweet" : {
      "retweeted" : false,
      "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities" : {
        "hashtags" : [ ],
        "symbols" : [ ],
        "user_mentions" : [
          {
            "name" : "Hendra Kusumawardhana",
            "screen_name" : "hendra_kusuma",
            "indices" : [ "0", "14" ],
            "id_str" : "1200000000000000001",
            "id" : "1200000000000000001"
          }
        ],
        "urls" : [ ]
      },
      "display_text_range" : [ "15", "38" ],
      "favorite_count" : "3",
      "in_reply_to_status_id_str" : "1854290160645046272",
      "id_str" : "1856170047697846272",
      "in_reply_to_user_id" : "1200000000000000001",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1856170047697846272",
      "in_reply_to_status_id" : "1854290160645046272",
      "created_at" : "Tue Nov 12 03:00:00 +0000 2024",
      "favorited" : false,
      "full_text" : "@hendra_kusuma Insyaallah hadir, Pak 🙏",
      "lang" : "in",
      "in_reply_to_screen_name" : "hendra_kusuma",
      "in_reply_to_user_id_str" : "1200000000000000001"
    }
  },
  {
    "tweet" : {
      "id_str" : "1856260644664246272",
      "full_text" : "Entri tanpa tanggal: rusak saat arsip dibuat",
      "lang" : "in"
    }
  }
]
