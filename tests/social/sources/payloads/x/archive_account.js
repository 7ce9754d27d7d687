window.YTD.account.part0 = [
  {
    "account" : {
      "email" : "agus.setiyono@contoh.example",
      "createdVia" : "web",
      "username" : "agus_setiyono_dmy",
      "accountId" : "1300000000000000002",
      "createdAt" : "2015-03-02T08:00:00.000Z",
      "accountDisplayName" : "Agus Setiyono"
    }
  }
]
