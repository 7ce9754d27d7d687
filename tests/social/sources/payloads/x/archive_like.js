window.YTD.like.part0 = [
  {
    "like" : {
      "tweetId" : "1854690297246646272",
      "fullText" : "Mari bersama membangun Kabupaten Malang yang makmur! 🗳️🇮🇩 #MalangMakmur https://t.co/PhOtO0001a",
      "expandedUrl" : "https://twitter.com/i/web/status/1854690297246646272"
    }
  },
  {
    "like" : {
      "tweetId" : "1854290160645046272",
      "fullText" : "Kampanye dialogis di Pasar Donomulyo besok pukul 08.00. Ajak keluarga! 🤝 https://t.co/PaSaR00001",
      "expandedUrl" : "https://twitter.com/i/web/status/1854290160645046272"
    }
  }
]
