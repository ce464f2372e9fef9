/* KBS map page: the interface in Turkish (first) and English. Every text the page shows comes from
 * here: t(key, params) for messages, label(value) for the API's enum values, field(name) for the
 * record's fields. Elements carry data-i18n (text), data-i18n-placeholder, -title, -aria-label.
 * The language: ?lang=tr|en, else the one chosen before (localStorage), else the browser's first
 * of Turkish and English, else Turkish. */
(function () {
  'use strict';
  var TEXT = {
    tr: {
      title: 'KBS harita', skipToMap: 'Haritaya geç', language: 'Dil', panel: 'Panel', panelToggle: 'Paneli aç/kapat',
      map: 'Harita: sürükleyerek kaydırın, + ve − ile yakınlaştırın; klavyede ok tuşları ile',
      // Session
      login: 'Giriş', username: 'Kullanıcı adı', password: 'Parola', loginButton: 'Giriş yap', orToken: 'veya bir belirteç (token)',
      tokenPlaceholder: 'erişim ya da API belirtecini yapıştırın', useToken: 'Belirteci kullan', logout: 'Çıkış yap',
      notLoggedIn: 'Giriş yapılmadı: yalnızca herkese açık nesneler.', loggingIn: 'Giriş yapılıyor…',
      loggedInAs: 'Giriş yapıldı: {who}.', loggedInToken: 'Belirteçle giriş yapıldı ({who}).', checkingToken: 'Belirteç denetleniyor…',
      wrongPassword: 'Kullanıcı adı ya da parola yanlış.', wrongToken: 'Bu belirteç geçersiz, süresi dolmuş ya da iptal edilmiş.',
      tooMany: 'Çok fazla hatalı deneme: bir süre sonra yeniden deneyin.', loginFailed: 'Giriş yapılamadı: {message}',
      sessionExpired: 'Oturumunuzun süresi doldu. Yeniden giriş yapın; bu arada herkese açık katmanlar gösteriliyor.',
      sessionRevoked: 'Oturumunuz sona erdi (belirteç artık geçerli değil). Yeniden giriş yapın; bu arada herkese açık katmanlar gösteriliyor.',
      loggedOut: 'Çıkış yapıldı: yalnızca herkese açık nesneler.', expiresAt: 'Oturum {time} saatinde sona erer.',
      // Layers
      layers: 'Katmanlar', zoomInFor: '{layer} için yakınlaştırın (ölçek {z}+)', loginFor: 'Görmek için giriş yapın',
      notPermitted: 'Hesabınızın okuma izni yok', home: 'Tüm alan', scale: 'Ölçek',
      hiddenLayers: 'Bu ölçekte gösterilmiyor: {layers}. Yakınlaştırın.',
      'layer.cameras': 'Kameralar', 'layer.camera-fov': 'Görüş alanları', 'layer.neighbourhoods': 'Mahalleler',
      'layer.network-lines': 'Ağ hatları', 'layer.network-nodes': 'Ağ düğümleri', 'layer.remote-units': 'Uzak birimler',
      'layer.parcels': 'Parseller (ada/parsel)', 'layer.assets': 'Demirbaşlar', 'layer.faults': 'Arızalar',
      'one.cameras': 'Kamera', 'one.neighbourhoods': 'Mahalle', 'one.network-lines': 'Ağ hattı', 'one.network-nodes': 'Ağ düğümü',
      'one.remote-units': 'Uzak birim', 'one.parcels': 'Parsel', 'one.assets': 'Demirbaş', 'one.faults': 'Arıza',
      // Legend
      legend: 'Lejant', legendCameraSize: 'Uzaktan küçük noktalar; 17+ ölçekte üçgen kameranın baktığı yönü gösterir (360° kameralar daire).',
      legendRed: 'Kırmızı her katmanda "çalışmıyor" demektir.', 'legend.open': 'Açık arıza', 'legend.closed': 'Çözülmüş, kapatılmış ya da iptal',
      'legend.repair': 'Arızalı, onarımda ya da firmada', 'legend.stock': 'Depoda, kayıp ya da hurdaya ayrılacak',
      'legend.boundary': 'Mahalle sınırı ve adı', 'legend.parcel': 'Parsel sınırı (17+ ölçekte ada/parsel)', 'legend.fov': 'Görüş alanı (açık arazide görebileceği dilim)',
      'legend.selected': 'Seçili nesne', 'legend.selectedFov': 'Seçili kameranın görüş alanı', 'legend.measure': 'Ölçüm',
      'legend.cutOff': 'Şu an kopuk uzak birim: merkeze her yol ÇALIŞMAYAN bir hattan ya da düğümden geçiyor.',
      'legend.wiUnit': 'Ya arızalanırsa: kopacak uzak birim.', 'legend.wiPoint': 'Ya arızalanırsa: kopacak kamera ya da düğüm.',
      'legend.wiLine': 'Ya arızalanırsa: merkeze bir şey taşımayacak hat.', 'legend.wiDown': 'Ya arızalanırsa: arızalanan hat ya da düğüm (seçililer sarı).',
      // Panel
      featureHint: 'Ayrıntıları için bir nesneye, onu gören kameralar için boş bir noktaya tıklayın.',
      noFeature: 'Burada nesne yok.', loading: 'Yükleniyor…', zoomTo: 'Yakınlaş', close: 'Kapat',
      related: 'İlgili', openFaults: 'Açık arızalar', noOpenFaults: 'Açık arıza yok.', lines: 'Hatlar', ends: 'Uçlar',
      inGraphQL: 'GraphQL sorgusu', inOGC: 'OGC API kaydı', openGraphiQL: 'GraphiQL’de aç', copy: 'Kopyala', copied: 'Kopyalandı',
      recordForbidden: 'Hesabınız bu kaydın ayrıntılarını okuyamıyor; karodaki öznitelikler:', recordFailed: 'Kayıt alınamadı: {message}',
      yes: 'evet', no: 'hayır', withheld: 'gizli (izniniz yok)',
      // Search
      search: 'Ara', searchWhat: 'Ne aranacak', 'search.parcel': 'Parsel (mahalle, ada, parsel)', 'search.code': 'Kamera, demirbaş, uzak birim, ağ (kod ya da ad)',
      'search.coord': 'Koordinat (TM39 ya da WGS84)', mahalle: 'Mahalle', ada: 'Ada', parsel: 'Parsel', searchText: 'Kod ya da ad',
      coordText: 'Koordinat', coordPlaceholder: 'enlem, boylam ya da Y (sağa), X (yukarı)', searchButton: 'Ara',
      noParcel: '{mahalle} mahallesinde {ada} ada {parsel} parsel bulunamadı (ya da okuma izniniz yok).',
      noResult: '"{q}" için sonuç yok.', results: '{n} sonuç', badCoord: 'Koordinat okunamadı: "enlem, boylam" (37.01, 37.79) ya da TM39 "Y, X" (330000, 4098000) yazın.',
      searchFailed: 'Arama yapılamadı: {message}', coordResult: 'Koordinat', parcelHere: 'Buradaki parsel',
      // Coordinates
      coordinates: 'Koordinatlar', crsTM39: 'TM39 (EPSG:5257)', crsWGS84: 'WGS84 (enlem/boylam)',
      tm39Format: 'Y {e} m  X {n} m', wgs84Format: '{lat}° K  {lon}° D',
      // Tools
      tools: 'Araçlar', measureLength: 'Uzunluk ölç', measureArea: 'Alan ölç', measureStop: 'Ölçümü bitir', measureClear: 'Ölçümü sil',
      measureHint: 'Haritaya tıklayarak noktaları koyun; bitirmek için çift tıklayın (Esc: vazgeç).',
      lengthResult: 'Uzunluk: {value}', areaResult: 'Alan: {value}', geodesicNote: 'Elipsoit (WGS84) üzerinde jeodezik, API’nin ölçtüğü gibi.',
      exportTitle: 'Görünen alanı dışa aktar', exportLayer: 'Katman', exportButton: 'GeoJSON indir', exporting: 'Dışa aktarılıyor…',
      exported: '{n} nesne indirildi ({file}).', exportFailed: 'Dışa aktarılamadı: {message}', exportForbidden: 'Hesabınız bu katmanı okuyamıyor.',
      // Analysis (analysis.js)
      network: 'Ağ', networkLogin: 'Hangi uzak birimlerin koptuğunu görmek için giriş yapın.', networkAsking: 'Kopuk uzak birimler soruluyor…',
      networkCutOff: '{n} uzak birim şu an kopuk', networkNone: 'Şu an kopuk uzak birim yok.', marked: '(✕ ile işaretli)',
      selectHint: 'Seçmek için bir ağ hattına ya da düğümüne tıklayın (daha fazlası için Shift ile).', selected: 'Seçili:',
      whatIfOne: 'Arızalanırsa ne olur?', whatIfMany: 'Arızalanırlarsa ne olur?', clear: 'Temizle',
      whatIfCurrent: 'bugünkü arızaların üstüne (ÇALIŞMAYAN hat ve düğümler)', asking: 'Soruluyor…',
      'impact.remoteUnits': 'Kopacak uzak birimler', 'impact.cameras': 'Kopacak kameralar', 'impact.lines': 'Merkeze bir şey taşımayacak hatlar', 'impact.nodes': 'Kopacak düğümler',
      'kind.line': 'hat', 'kind.node': 'düğüm',
      forbidden: 'Hesabınız {what} okuyamıyor ({grant} üzerinde READ izni gerekir).', needLogin: '{what} görmek için giriş yapın.',
      askFailed: '{what} sorulamadı: {message}', 'what.network': 'ağı', 'what.cameras': 'kameraları', 'grant.network': 'ağ hatları', 'grant.cameras': 'kameralar',
      seeingTitle: 'Bu noktayı gören kameralar', seeingNone: 'Bu noktayı gören kamera yok.', seeingNote: 'Okuyabildiğiniz aktif kameralar, açık arazide (binalar hesaba katılmaz).',
      bearing: 'yön {deg}°',
      live: 'Canlı', liveOn: 'Değişiklikler anında gösteriliyor.', liveOff: 'Canlı bağlantı yok; yeniden deneniyor.', liveConnecting: 'Canlı bağlantı kuruluyor…',
      newFault: 'Yeni arıza #{id} ({what}): {description}',
    },
    en: {
      title: 'KBS map', skipToMap: 'Skip to the map', language: 'Language', panel: 'Panel', panelToggle: 'Show or hide the panel',
      map: 'Map: drag to pan, + and − to zoom; arrow keys on the keyboard',
      login: 'Log in', username: 'Username', password: 'Password', loginButton: 'Log in', orToken: 'or a token',
      tokenPlaceholder: 'paste an access or API token', useToken: 'Use token', logout: 'Log out',
      notLoggedIn: 'Not logged in: public features only.', loggingIn: 'Logging in…',
      loggedInAs: 'Logged in as {who}.', loggedInToken: 'Logged in with a token ({who}).', checkingToken: 'Checking the token…',
      wrongPassword: 'Wrong username or password.', wrongToken: 'This token is not valid, has expired or was revoked.',
      tooMany: 'Too many failed attempts: try again later.', loginFailed: 'Login failed: {message}',
      sessionExpired: 'Your session has expired. Log in again; the public layers are shown meanwhile.',
      sessionRevoked: 'Your session has ended (the token is no longer valid). Log in again; the public layers are shown meanwhile.',
      loggedOut: 'Logged out: public features only.', expiresAt: 'The session ends at {time}.',
      layers: 'Layers', zoomInFor: 'Zoom in to see {layer} (zoom {z}+)', loginFor: 'Log in to see it',
      notPermitted: 'Your account may not read it', home: 'Whole area', scale: 'Scale',
      hiddenLayers: 'Not shown at this zoom: {layers}. Zoom in.',
      'layer.cameras': 'Cameras', 'layer.camera-fov': 'Fields of view', 'layer.neighbourhoods': 'Neighbourhoods (mahalle)',
      'layer.network-lines': 'Network lines', 'layer.network-nodes': 'Network nodes', 'layer.remote-units': 'Remote units',
      'layer.parcels': 'Parcels (ada/parsel)', 'layer.assets': 'Assets (demirbaş)', 'layer.faults': 'Faults (arıza)',
      'one.cameras': 'Camera', 'one.neighbourhoods': 'Neighbourhood', 'one.network-lines': 'Network line', 'one.network-nodes': 'Network node',
      'one.remote-units': 'Remote unit', 'one.parcels': 'Parcel', 'one.assets': 'Asset', 'one.faults': 'Fault',
      legend: 'Legend', legendCameraSize: 'Small dots when zoomed out; from zoom 17 a triangle points where the camera looks (360° cameras stay circles).',
      legendRed: 'Red means "not working" on every layer.', 'legend.open': 'Open fault', 'legend.closed': 'Resolved, closed or cancelled',
      'legend.repair': 'Faulty, in repair or at the vendor', 'legend.stock': 'In stock, lost or pending disposal',
      'legend.boundary': 'Neighbourhood boundary and name', 'legend.parcel': 'Parcel boundary (ada/parsel from zoom 17)', 'legend.fov': 'Field of view (the sector it could see on open ground)',
      'legend.selected': 'Selected feature', 'legend.selectedFov': "The selected camera's field of view", 'legend.measure': 'Measurement',
      'legend.cutOff': 'Remote unit cut off now: every route to the central data room runs through an OFFLINE line or node.',
      'legend.wiUnit': 'What if: a remote unit that would be cut off.', 'legend.wiPoint': 'What if: a camera, a node that would be cut off.',
      'legend.wiLine': 'What if: a line that would carry nothing to the centre.', 'legend.wiDown': 'What if: the line or node that fails (selected lines and nodes are drawn yellow).',
      featureHint: 'Click a feature to see its record, or any other point to see the cameras that see it.',
      noFeature: 'No feature here.', loading: 'Loading…', zoomTo: 'Zoom to', close: 'Close',
      related: 'Related', openFaults: 'Open faults', noOpenFaults: 'No open fault.', lines: 'Lines', ends: 'Ends',
      inGraphQL: 'GraphQL query', inOGC: 'OGC API item', openGraphiQL: 'Open GraphiQL', copy: 'Copy', copied: 'Copied',
      recordForbidden: "Your account may not read this record's details; the tile's attributes:", recordFailed: 'Could not load the record: {message}',
      yes: 'yes', no: 'no', withheld: 'withheld (no grant)',
      search: 'Search', searchWhat: 'Search for', 'search.parcel': 'Parcel (mahalle, ada, parsel)', 'search.code': 'Camera, asset, remote unit, network (code or name)',
      'search.coord': 'Coordinate (TM39 or WGS84)', mahalle: 'Mahalle', ada: 'Ada', parsel: 'Parsel', searchText: 'Code or name',
      coordText: 'Coordinate', coordPlaceholder: 'lat, lon or TM39 E, N', searchButton: 'Search',
      noParcel: 'No parcel {ada}/{parsel} in {mahalle} (or you may not read it).',
      noResult: 'Nothing found for "{q}".', results: '{n} results', badCoord: 'Could not read the coordinate: write "lat, lon" (37.01, 37.79) or TM39 "E, N" (330000, 4098000).',
      searchFailed: 'Search failed: {message}', coordResult: 'Coordinate', parcelHere: 'The parcel here',
      coordinates: 'Coordinates', crsTM39: 'TM39 (EPSG:5257)', crsWGS84: 'WGS84 (lat/lon)',
      tm39Format: 'E {e} m  N {n} m', wgs84Format: '{lat}° N  {lon}° E',
      tools: 'Tools', measureLength: 'Measure a distance', measureArea: 'Measure an area', measureStop: 'Finish', measureClear: 'Clear measurement',
      measureHint: 'Click the map to place points; double-click to finish (Esc: cancel).',
      lengthResult: 'Length: {value}', areaResult: 'Area: {value}', geodesicNote: 'Geodesic, on the WGS84 ellipsoid, as the API measures.',
      exportTitle: 'Export the view', exportLayer: 'Layer', exportButton: 'Download GeoJSON', exporting: 'Exporting…',
      exported: '{n} features downloaded ({file}).', exportFailed: 'Export failed: {message}', exportForbidden: 'Your account may not read this layer.',
      network: 'Network', networkLogin: 'Log in to see which remote units are cut off.', networkAsking: 'Asking which remote units are cut off…',
      networkCutOff: '{n} remote unit(s) cut off now', networkNone: 'No remote unit is cut off now.', marked: '(marked ✕)',
      selectHint: 'Click a network line or node to select it (shift-click to select more).', selected: 'Selected:',
      whatIfOne: 'What if it fails?', whatIfMany: 'What if they fail?', clear: 'Clear',
      whatIfCurrent: "on top of today's outages (OFFLINE lines and nodes)", asking: 'Asking…',
      'impact.remoteUnits': 'Remote units cut off', 'impact.cameras': 'Cameras cut off', 'impact.lines': 'Lines carrying nothing to the centre', 'impact.nodes': 'Nodes cut off',
      'kind.line': 'line', 'kind.node': 'node',
      forbidden: 'Your account may not read {what} (it needs a READ grant on {grant}).', needLogin: 'Log in to see {what}.',
      askFailed: 'Could not ask for {what}: {message}', 'what.network': 'the network', 'what.cameras': 'the cameras', 'grant.network': 'network lines', 'grant.cameras': 'cameras',
      seeingTitle: 'Cameras that see this point', seeingNone: 'No camera sees it.', seeingNote: 'Active cameras you may read, on open ground (no buildings).',
      bearing: 'bearing {deg}°',
      live: 'Live', liveOn: 'Changes are shown as they happen.', liveOff: 'No live connection; trying again.', liveConnecting: 'Connecting for live updates…',
      newFault: 'New fault #{id} ({what}): {description}',
    },
  };

  // The API's enum values. Values shared by several enums (ACTIVE, OFFLINE, SWITCH) mean the same in each.
  var ENUMS = {
    tr: {
      ACTIVE: 'Çalışıyor', OFFLINE: 'Çalışmıyor', PLANNED: 'Planlanan', DECOMMISSIONED: 'Sökülmüş', CLOSED: 'Kapalı',
      FIXED: 'Sabit', PTZ: 'PTZ (döner)', DOME: 'Dome', BULLET: 'Bullet', SECURITY: 'Güvenlik', TRAFFIC: 'Trafik', LIVE_BROADCAST: 'Canlı yayın',
      FIBER: 'Fiber', COPPER: 'Bakır', RADIO_LINK: 'Radyolink', LTE: 'LTE', MPLS: 'MPLS', XDSL: 'xDSL',
      CABINET: 'Kabin', CENTRAL_DATA_ROOM: 'Merkez veri odası', SPLICE_POINT: 'Ek noktası', SWITCH: 'Anahtar (switch)',
      IN_USE: 'Kullanımda', IN_STOCK: 'Depoda', FAULTY: 'Arızalı', IN_REPAIR: 'Onarımda', AT_VENDOR: 'Firmada', LOST: 'Kayıp',
      PENDING_DISPOSAL: 'Hurdaya ayrılacak', DISPOSED: 'Hurdaya ayrıldı',
      CAMERA: 'Kamera', COMPUTER: 'Bilgisayar', FIREWALL: 'Güvenlik duvarı', LAPTOP: 'Dizüstü bilgisayar', LEASED_LINE: 'Kiralık devre',
      MODEM: 'Modem', MONITOR: 'Monitör', NVR: 'Kayıt cihazı (NVR)', OTHER: 'Diğer', PBX: 'Santral', PHONE: 'Telefon', PRINTER: 'Yazıcı',
      ROUTER: 'Yönlendirici', SCANNER: 'Tarayıcı', SERVER: 'Sunucu', SPLICE_BOX: 'Ek kutusu', UPS: 'Kesintisiz güç kaynağı',
      HARDWARE: 'Donanım', SOFTWARE: 'Yazılım', NETWORK: 'Ağ', POWER: 'Enerji', PERIPHERAL: 'Çevre birimi', ACCOUNT: 'Hesap',
      URGENT: 'Acil', HIGH: 'Yüksek', NORMAL: 'Normal', LOW: 'Düşük',
      NEW: 'Yeni', ASSIGNED: 'Atandı', IN_PROGRESS: 'Üzerinde çalışılıyor', WAITING_PARTS: 'Parça bekliyor', WAITING_VENDOR: 'Firma bekliyor',
      RESOLVED: 'Çözüldü', REOPENED: 'Yeniden açıldı', CANCELLED: 'İptal edildi',
      ONLINE: 'Bağlı', DEGRADED: 'Yedeksiz bağlı', CUT_OFF: 'Kopuk', DIRECTORATE: 'Müdürlük', UNIT: 'Birim',
    },
    en: {
      ACTIVE: 'Active', OFFLINE: 'Offline', PLANNED: 'Planned', DECOMMISSIONED: 'Decommissioned', CLOSED: 'Closed',
      FIXED: 'Fixed', PTZ: 'PTZ', DOME: 'Dome', BULLET: 'Bullet', SECURITY: 'Security', TRAFFIC: 'Traffic', LIVE_BROADCAST: 'Live broadcast',
      FIBER: 'Fibre', COPPER: 'Copper', RADIO_LINK: 'Radio link', LTE: 'LTE', MPLS: 'MPLS', XDSL: 'xDSL',
      CABINET: 'Cabinet', CENTRAL_DATA_ROOM: 'Central data room', SPLICE_POINT: 'Splice point', SWITCH: 'Switch',
      IN_USE: 'In use', IN_STOCK: 'In stock', FAULTY: 'Faulty', IN_REPAIR: 'In repair', AT_VENDOR: 'At the vendor', LOST: 'Lost',
      PENDING_DISPOSAL: 'Pending disposal', DISPOSED: 'Disposed',
      CAMERA: 'Camera', COMPUTER: 'Computer', FIREWALL: 'Firewall', LAPTOP: 'Laptop', LEASED_LINE: 'Leased line',
      MODEM: 'Modem', MONITOR: 'Monitor', NVR: 'Recorder (NVR)', OTHER: 'Other', PBX: 'PBX', PHONE: 'Phone', PRINTER: 'Printer',
      ROUTER: 'Router', SCANNER: 'Scanner', SERVER: 'Server', SPLICE_BOX: 'Splice box', UPS: 'UPS',
      HARDWARE: 'Hardware', SOFTWARE: 'Software', NETWORK: 'Network', POWER: 'Power', PERIPHERAL: 'Peripheral', ACCOUNT: 'Account',
      URGENT: 'Urgent', HIGH: 'High', NORMAL: 'Normal', LOW: 'Low',
      NEW: 'New', ASSIGNED: 'Assigned', IN_PROGRESS: 'In progress', WAITING_PARTS: 'Waiting for parts', WAITING_VENDOR: 'Waiting for the vendor',
      RESOLVED: 'Resolved', REOPENED: 'Reopened', CANCELLED: 'Cancelled',
      ONLINE: 'Online', DEGRADED: 'Degraded', CUT_OFF: 'Cut off', DIRECTORATE: 'Directorate', UNIT: 'Unit',
    },
  };

  // Field names of the records (GraphQL's), as the staff call them.
  var FIELDS = {
    tr: {
      id: 'No', code: 'Kod', name: 'Ad', status: 'Durum', kind: 'Tür', purpose: 'Amaç', azimuth: 'Bakış yönü (°)', horizontalFov: 'Görüş açısı (°)',
      rangeMeters: 'Menzil (m)', mountHeightMeters: 'Montaj yüksekliği (m)', installedOn: 'Kurulum tarihi', recorder: 'Kayıt cihazı', recorderChannel: 'Kanal',
      streamUrl: 'Yayın adresi', isPublic: 'Herkese açık', version: 'Sürüm', updatedAt: 'Son değişiklik', neighbourhood: 'Mahalle', ownerOrgUnit: 'Sorumlu birim',
      servedBy: 'Bağlı olduğu yer', asset: 'Demirbaş', mahalle: 'Mahalle', ada: 'Ada', parsel: 'Parsel', nitelik: 'Nitelik', pafta: 'Pafta',
      district: 'İlçe', province: 'İl', areaSquareMeters: 'Alan (m², jeodezik)', registeredAreaSquareMeters: 'Tapu alanı (m²)',
      areaDifferenceSquareMeters: 'Alan farkı (m²)', source: 'Kaynak', importedAt: 'Aktarım tarihi', population: 'Nüfus', counts: 'Nesne sayıları',
      medium: 'Ortam', capacityMbps: 'Kapasite (Mbit/s)', provider: 'Sağlayıcı', circuitId: 'Devre no', lengthMeters: 'Uzunluk (m, jeodezik)',
      aEnd: 'A ucu', zEnd: 'Z ucu', address: 'Adres', orgUnit: 'Birim', internet: 'İnternet', connectivity: 'Bağlantı',
      inventoryNo: 'Demirbaş no', serialNo: 'Seri no', type: 'Cinsi', make: 'Marka', model: 'Model', state: 'Durum', site: 'Yer',
      ipAddress: 'IP adresi', macAddress: 'MAC adresi', purchasedOn: 'Alım tarihi', warrantyEndsOn: 'Garanti bitişi', remoteUnit: 'Uzak birim', camera: 'Kamera',
      custodian: 'Zimmetli', category: 'Kategori', priority: 'Öncelik', description: 'Açıklama', reportedAt: 'Bildirim', reporterName: 'Bildiren',
      assigneeName: 'Atanan', ageDays: 'Açık gün', faults: 'Arızalar', cameras: 'Kameralar', parcels: 'Parseller', networkLines: 'Ağ hatları',
      networkNodes: 'Ağ düğümleri', remoteUnits: 'Uzak birimler', assets: 'Demirbaşlar', lines: 'Hatlar', street: 'Cadde/sokak', doorNo: 'Kapı no',
      bandwidthMbps: 'Hız (Mbit/s)', line: 'Hat türü',
    },
    en: {
      id: 'Id', code: 'Code', name: 'Name', status: 'Status', kind: 'Kind', purpose: 'Purpose', azimuth: 'Azimuth (°)', horizontalFov: 'Field of view (°)',
      rangeMeters: 'Range (m)', mountHeightMeters: 'Mount height (m)', installedOn: 'Installed on', recorder: 'Recorder', recorderChannel: 'Channel',
      streamUrl: 'Stream URL', isPublic: 'Public', version: 'Version', updatedAt: 'Last change', neighbourhood: 'Neighbourhood (mahalle)', ownerOrgUnit: 'Responsible unit',
      servedBy: 'Connected through', asset: 'Asset (demirbaş)', mahalle: 'Mahalle', ada: 'Ada (block)', parsel: 'Parsel (parcel no)', nitelik: 'Nitelik (type)', pafta: 'Pafta (sheet)',
      district: 'District (ilçe)', province: 'Province (il)', areaSquareMeters: 'Area (m², geodesic)', registeredAreaSquareMeters: 'Deed area (m²)',
      areaDifferenceSquareMeters: 'Area difference (m²)', source: 'Source', importedAt: 'Imported', population: 'Population', counts: 'Features',
      medium: 'Medium', capacityMbps: 'Capacity (Mbit/s)', provider: 'Provider', circuitId: 'Circuit id', lengthMeters: 'Length (m, geodesic)',
      aEnd: 'A end', zEnd: 'Z end', address: 'Address', orgUnit: 'Unit', internet: 'Internet', connectivity: 'Connectivity',
      inventoryNo: 'Inventory no', serialNo: 'Serial no', type: 'Type', make: 'Make', model: 'Model', state: 'State', site: 'Site',
      ipAddress: 'IP address', macAddress: 'MAC address', purchasedOn: 'Purchased on', warrantyEndsOn: 'Warranty ends', remoteUnit: 'Remote unit', camera: 'Camera',
      custodian: 'Custody (zimmet)', category: 'Category', priority: 'Priority', description: 'Description', reportedAt: 'Reported', reporterName: 'Reported by',
      assigneeName: 'Assigned to', ageDays: 'Days open', faults: 'Faults (arıza)', cameras: 'Cameras', parcels: 'Parcels', networkLines: 'Network lines',
      networkNodes: 'Network nodes', remoteUnits: 'Remote units', assets: 'Assets', lines: 'Lines', street: 'Street', doorNo: 'Door no',
      bandwidthMbps: 'Bandwidth (Mbit/s)', line: 'Line',
    },
  };

  var listeners = [];
  function pick() {
    var asked = new URLSearchParams(location.search).get('lang');
    if (asked === 'tr' || asked === 'en') return asked;
    try {
      var kept = localStorage.getItem('kbs-map-lang');
      if (kept === 'tr' || kept === 'en') return kept;
    } catch (e) { /* storage refused: not remembered */ }
    var prefs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ''];
    for (var i = 0; i < prefs.length; i++) {
      var l = String(prefs[i]).toLowerCase().slice(0, 2);
      if (l === 'tr' || l === 'en') return l;
    }
    return 'tr';
  }
  var lang = pick();

  function t(key, params) {
    var s = TEXT[lang][key];
    if (s === undefined) s = TEXT.tr[key] !== undefined ? TEXT.tr[key] : key;
    return params ? s.replace(/\{(\w+)\}/g, function (m, k) { return params[k] === undefined ? m : String(params[k]); }) : s;
  }
  /** An enum value in words; unknown values as they are. */
  function label(value) { return value == null ? '' : ENUMS[lang][value] || String(value); }
  function field(name) { return FIELDS[lang][name] || name; }
  /** Numbers the local way (1.234,5 in Turkish). */
  function number(n, digits) {
    return Number(n).toLocaleString(lang === 'tr' ? 'tr-TR' : 'en-GB', { minimumFractionDigits: digits || 0, maximumFractionDigits: digits || 0 });
  }

  function apply(root) {
    (root || document).querySelectorAll('[data-i18n]').forEach(function (el) { el.textContent = t(el.dataset.i18n); });
    ['placeholder', 'title', 'aria-label'].forEach(function (attr) {
      (root || document).querySelectorAll('[data-i18n-' + attr + ']').forEach(function (el) { el.setAttribute(attr, t(el.getAttribute('data-i18n-' + attr))); });
    });
    document.documentElement.lang = lang;
    document.title = t('title');
  }
  function setLang(next) {
    if (next !== 'tr' && next !== 'en') return;
    lang = next;
    try { localStorage.setItem('kbs-map-lang', next); } catch (e) { /* not remembered */ }
    apply();
    listeners.forEach(function (fn) { fn(lang); });
  }

  window.kbsI18n = {
    t: t, label: label, field: field, number: number, apply: apply, setLang: setLang,
    lang: function () { return lang; },
    onChange: function (fn) { listeners.push(fn); },
  };
  document.addEventListener('DOMContentLoaded', function () { apply(); });
})();
