<?xml version="1.0" encoding="UTF-8"?>
<!--
 entegrator - e-Fatura / e-Arsiv fatura goruntuleme sablonu (XSLT 1.0), SPDX-License-Identifier: Apache-2.0
 Any UBL-TR 1.2 Invoice -> one A4, print-friendly HTML page. Runs in libxslt (lxml), browsers and
 GIB's e-Fatura Goruntuleyici. Optional parameters (set by entegrator.render):
   yaziyla  the payable amount in words; without it the stylesheet spells it itself.
 The element with id="karekod" is filled with the karekod (QR code) by entegrator.render.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
 xmlns:i="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
 exclude-result-prefixes="i cac cbc">
<xsl:output method="html" encoding="UTF-8" indent="no" doctype-system="about:legacy-compat"/>
<xsl:decimal-format name="tr" decimal-separator="," grouping-separator="." NaN=""/>
<xsl:param name="yaziyla" select="''"/>

<!-- Code tables: |code=text| (UN/ECE Rec 20 units, GIB tax codes, UN/ECE 4461 payment means). -->
<xsl:variable name="U" select="'|C62=Adet|NIU=Adet|EA=Adet|H87=Adet|KGM=Kg|GRM=Gr|TNE=Ton|LTR=Lt|MLT=Ml|MTR=Metre|CMT=Cm|MMT=Mm|KMT=Km|MTK=m²|MTQ=m³|KWH=kWh|MWH=MWh|HUR=Saat|MIN=Dakika|DAY=Gün|WEE=Hafta|MON=Ay|ANN=Yıl|BX=Kutu|PA=Paket|PK=Paket|PR=Çift|SET=Set|DZN=Düzine|CT=Koli|BG=Torba|BO=Şişe|CS=Kasa|RO=Rulo|KT=Kit|'"/>
<xsl:variable name="T" select="'|0015=KDV|9015=KDV Tevkifatı|0071=ÖTV 1. Liste|9077=ÖTV 2. Liste|0073=ÖTV 3. Liste|0074=ÖTV 4. Liste|0059=Konaklama Vergisi|0003=Gelir Vergisi Stopajı|0011=Kurumlar Vergisi Stopajı|4080=Özel İletişim Vergisi|1047=Damga Vergisi|'"/>
<xsl:variable name="P" select="'|1=Tanımsız|10=Nakit|20=Çek|23=Banka Çeki|42=Havale/EFT|48=Kredi/Banka Kartı|49=Otomatik Ödeme|97=Mahsup|ZZZ=Diğer|'"/>
<!-- Currency names for the amount in words: |code=major=minor| (same table as render/words.py). -->
<xsl:variable name="C" select="'|TRY=Türk Lirası=Kuruş|TRL=Türk Lirası=Kuruş|USD=ABD Doları=Sent|EUR=Avro=Sent|GBP=İngiliz Sterlini=Peni|CHF=İsviçre Frangı=Santim|RUB=Rus Rublesi=Kopek|CAD=Kanada Doları=Sent|AUD=Avustralya Doları=Sent|'"/>
<xsl:variable name="O" select="'Bir  İki  Üç   Dört Beş  Altı Yedi SekizDokuz'"/>
<xsl:variable name="X" select="'On    Yirmi Otuz  Kırk  Elli  AltmışYetmişSeksenDoksan'"/>
<xsl:variable name="S" select="'Bin    Milyon Milyar Trilyon'"/>

<xsl:template match="/">
 <xsl:variable name="title">
  <xsl:choose><xsl:when test="i:Invoice/cbc:ProfileID='EARSIVFATURA'">e-Arşiv Fatura</xsl:when><xsl:otherwise>e-Fatura</xsl:otherwise></xsl:choose>
 </xsl:variable>
 <html lang="tr"><head><meta charset="UTF-8"/><title><xsl:value-of select="concat($title,' ',i:Invoice/cbc:ID)"/></title>
 <style>
@page{size:A4;margin:10mm}
body{font:8.5pt/1.35 "DejaVu Sans",Arial,Helvetica,sans-serif;color:#000;margin:0}
.pg{max-width:190mm;margin:0 auto}
table{border-collapse:collapse;width:100%}
td,th{vertical-align:top;padding:1px 4px;text-align:left}
.hd>tbody>tr>td{width:36%}.hd>tbody>tr>td.mid{width:28%;text-align:center;vertical-align:middle}
.mark{display:inline-block;border:2px solid #000;border-radius:8px;padding:2px 8px;font:bold 16pt sans-serif}
.mark span{color:#fff;background:#000;border-radius:50%;padding:0 6px;margin-right:3px}
#karekod{text-align:right}#karekod svg{width:32mm;height:32mm}
.box{border-top:1px solid #000;border-bottom:1px solid #000;padding:2px 0;margin:2px 0}
.nm{font-weight:bold}
.kv td{border:1px solid #888;padding:1px 4px}.kv td:first-child{font-weight:bold}.inf td:first-child{white-space:nowrap}
td{overflow-wrap:break-word;word-wrap:break-word}.w{text-align:right}
.ettn{margin:6px 0;font-weight:bold}
.ln{margin-top:6px}.ln th{background:#e4e4e4;border:1px solid #555;font-size:7.5pt;text-align:center}
.ln td{border:1px solid #888}.ln tr{page-break-inside:avoid}thead{display:table-header-group}
.r{text-align:right;white-space:nowrap}.sm{font-size:7.5pt;color:#333}
.sum{margin-top:6px}.sum>tbody>tr>td{padding:0}.tot{width:auto;margin-left:auto}
.tot td{border:1px solid #888;text-align:right;white-space:nowrap}.tot tr.b td{font-weight:bold;background:#e4e4e4}
.yazi{margin:6px 0;font-weight:bold}
h3{font-size:8.5pt;margin:8px 0 2px;border-bottom:1px solid #000}
 </style></head><body><div class="pg">
 <xsl:choose>
  <xsl:when test="i:Invoice"><xsl:apply-templates select="i:Invoice"><xsl:with-param name="title" select="$title"/></xsl:apply-templates></xsl:when>
  <xsl:otherwise><p>Bu şablon yalnızca UBL-TR fatura (Invoice) belgelerini gösterir.</p></xsl:otherwise>
 </xsl:choose>
 </div></body></html>
</xsl:template>

<xsl:template match="i:Invoice">
 <xsl:param name="title"/>
 <table class="hd"><tr>
  <td><div class="box"><xsl:apply-templates select="cac:AccountingSupplierParty/cac:Party"/></div></td>
  <td class="mid"><div class="mark"><span>e</span><xsl:value-of select="substring-after($title,'e-')"/></div></td>
  <td><div id="karekod"></div></td>
 </tr><tr>
  <td><div class="box"><b>SAYIN</b><br/><xsl:apply-templates select="cac:AccountingCustomerParty/cac:Party"/></div>
   <xsl:for-each select="cac:BuyerCustomerParty/cac:Party">
    <div class="box"><b>ALICI</b><xsl:if test="cac:PartyIdentification/cbc:ID"> (<xsl:value-of select="cac:PartyIdentification/cbc:ID"/>)</xsl:if><br/><xsl:apply-templates select="."/></div>
   </xsl:for-each>
   <xsl:for-each select="cac:TaxRepresentativeParty">
    <div class="box"><b>ARACI KURUM</b><br/><xsl:apply-templates select="."/></div>
   </xsl:for-each>
  </td>
  <td></td>
  <td><table class="kv inf">
   <xsl:call-template name="kv"><xsl:with-param name="k">Özelleştirme No</xsl:with-param><xsl:with-param name="v" select="cbc:CustomizationID"/></xsl:call-template>
   <xsl:call-template name="kv"><xsl:with-param name="k">Senaryo</xsl:with-param><xsl:with-param name="v" select="cbc:ProfileID"/></xsl:call-template>
   <xsl:call-template name="kv"><xsl:with-param name="k">Fatura Tipi</xsl:with-param><xsl:with-param name="v" select="cbc:InvoiceTypeCode"/></xsl:call-template>
   <xsl:call-template name="kv"><xsl:with-param name="k">Fatura No</xsl:with-param><xsl:with-param name="v" select="cbc:ID"/></xsl:call-template>
   <tr><td>Fatura Tarihi</td><td><xsl:apply-templates select="cbc:IssueDate" mode="d"/></td></tr>
   <xsl:call-template name="kv"><xsl:with-param name="k">Düzenleme Saati</xsl:with-param><xsl:with-param name="v" select="substring(cbc:IssueTime,1,8)"/></xsl:call-template>
   <xsl:for-each select="cac:InvoicePeriod">
    <tr><td>Fatura Dönemi</td><td><xsl:apply-templates select="cbc:StartDate" mode="d"/> - <xsl:apply-templates select="cbc:EndDate" mode="d"/></td></tr>
   </xsl:for-each>
   <xsl:apply-templates select="cac:OrderReference" mode="ref"><xsl:with-param name="k">Sipariş</xsl:with-param></xsl:apply-templates>
   <xsl:apply-templates select="cac:DespatchDocumentReference" mode="ref"><xsl:with-param name="k">İrsaliye</xsl:with-param></xsl:apply-templates>
   <xsl:apply-templates select="cac:BillingReference/*[cbc:ID]" mode="ref"><xsl:with-param name="k">İade/İlgili Fatura</xsl:with-param></xsl:apply-templates>
   <xsl:apply-templates select="cac:ContractDocumentReference" mode="ref"><xsl:with-param name="k">Sözleşme</xsl:with-param></xsl:apply-templates>
   <xsl:apply-templates select="cac:ReceiptDocumentReference|cac:OriginatorDocumentReference" mode="ref"><xsl:with-param name="k">Belge</xsl:with-param></xsl:apply-templates>
   <xsl:apply-templates select="cac:AdditionalDocumentReference[not(cbc:DocumentType='XSLT' or contains(cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@filename,'.xsl'))]" mode="ref"><xsl:with-param name="k">Ek Belge</xsl:with-param></xsl:apply-templates>
   <xsl:for-each select="cac:PricingExchangeRate[cbc:CalculationRate]|cac:PaymentExchangeRate[cbc:CalculationRate and not(../cac:PricingExchangeRate)]">
    <tr><td>Döviz Kuru</td><td>1 <xsl:value-of select="cbc:SourceCurrencyCode"/> = <xsl:value-of select="format-number(cbc:CalculationRate,'###.##0,00####','tr')"/><xsl:text> </xsl:text><xsl:value-of select="cbc:TargetCurrencyCode"/></td></tr>
   </xsl:for-each>
  </table></td>
 </tr></table>
 <div class="ettn">ETTN: <xsl:value-of select="cbc:UUID"/></div>

 <table class="ln"><thead><tr>
  <th>Sıra</th><th style="width:28%">Mal / Hizmet</th><th>Miktar</th><th>Birim Fiyat</th><th>İskonto / Artırım</th><th>KDV Oranı</th><th>KDV Tutarı</th><th>Diğer Vergiler</th><th>Mal Hizmet Tutarı</th>
 </tr></thead><tbody>
  <xsl:apply-templates select="cac:InvoiceLine"/>
 </tbody></table>

 <table class="sum"><tr><td>
  <xsl:if test="cac:TaxTotal/cac:TaxSubtotal">
   <table class="kv"><tr><td>Vergi</td><td class="r">Matrah</td><td class="r">Oran</td><td class="r">Tutar</td><td>Muafiyet / İstisna</td></tr>
   <xsl:for-each select="cac:TaxTotal/cac:TaxSubtotal">
    <tr><td><xsl:apply-templates select="cac:TaxCategory/cac:TaxScheme" mode="tax"/></td>
     <td class="r"><xsl:apply-templates select="cbc:TaxableAmount" mode="m"/></td>
     <td class="r"><xsl:apply-templates select="cbc:Percent" mode="pct"/><xsl:for-each select="cbc:PerUnitAmount"> birim: <xsl:apply-templates select="." mode="m"><xsl:with-param name="f" select="'###.##0,00######'"/></xsl:apply-templates></xsl:for-each></td>
     <td class="r"><xsl:apply-templates select="cbc:TaxAmount" mode="m"/></td>
     <td><xsl:value-of select="cac:TaxCategory/cbc:TaxExemptionReasonCode"/><xsl:if test="string(cac:TaxCategory/cbc:TaxExemptionReason)"> - <xsl:value-of select="cac:TaxCategory/cbc:TaxExemptionReason"/></xsl:if></td></tr>
   </xsl:for-each></table>
  </xsl:if>
  <xsl:if test="cac:WithholdingTaxTotal/cac:TaxSubtotal">
   <table class="kv" style="margin-top:4px"><tr><td>Tevkifat Kodu</td><td class="r">Oran</td><td class="r">Tevkifata Tabi Tutar</td><td class="r">Tevkifat Tutarı</td></tr>
   <xsl:for-each select="cac:WithholdingTaxTotal/cac:TaxSubtotal">
    <tr><td><xsl:apply-templates select="cac:TaxCategory/cac:TaxScheme" mode="tax"/></td>
     <td class="r"><xsl:apply-templates select="cbc:Percent" mode="wh"/></td>
     <td class="r"><xsl:apply-templates select="cbc:TaxableAmount" mode="m"/></td>
     <td class="r"><xsl:apply-templates select="cbc:TaxAmount" mode="m"/></td></tr>
   </xsl:for-each></table>
  </xsl:if>
 </td><td>
  <table class="tot">
   <xsl:apply-templates select="cac:LegalMonetaryTotal/cbc:LineExtensionAmount" mode="row"><xsl:with-param name="k">Mal Hizmet Toplam Tutarı</xsl:with-param></xsl:apply-templates>
   <xsl:for-each select="cac:AllowanceCharge[cbc:Amount != 0]">
    <xsl:apply-templates select="cbc:Amount" mode="row"><xsl:with-param name="k"><xsl:apply-templates select="." mode="ac"/></xsl:with-param></xsl:apply-templates>
   </xsl:for-each>
   <xsl:apply-templates select="cac:LegalMonetaryTotal/cbc:AllowanceTotalAmount" mode="row"><xsl:with-param name="k">Toplam İskonto</xsl:with-param></xsl:apply-templates>
   <xsl:apply-templates select="cac:LegalMonetaryTotal/cbc:ChargeTotalAmount" mode="row"><xsl:with-param name="k">Toplam Artırım</xsl:with-param></xsl:apply-templates>
   <xsl:apply-templates select="cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount" mode="row"><xsl:with-param name="k">Vergi Hariç Tutar</xsl:with-param></xsl:apply-templates>
   <xsl:for-each select="cac:TaxTotal/cac:TaxSubtotal">
    <xsl:apply-templates select="cbc:TaxAmount" mode="row"><xsl:with-param name="k">Hesaplanan <xsl:apply-templates select="cac:TaxCategory/cac:TaxScheme" mode="tax"/><xsl:if test="string(cbc:Percent)"> (<xsl:apply-templates select="cbc:Percent" mode="pct"/>)</xsl:if></xsl:with-param></xsl:apply-templates>
   </xsl:for-each>
   <xsl:for-each select="cac:WithholdingTaxTotal">
    <xsl:apply-templates select="cbc:TaxAmount" mode="row"><xsl:with-param name="k">KDV Tevkifat Tutarı</xsl:with-param></xsl:apply-templates>
   </xsl:for-each>
   <xsl:apply-templates select="cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount" mode="row"><xsl:with-param name="k">Vergiler Dahil Toplam Tutar</xsl:with-param></xsl:apply-templates>
   <xsl:apply-templates select="cac:LegalMonetaryTotal/cbc:PayableRoundingAmount" mode="row"><xsl:with-param name="k">Yuvarlama</xsl:with-param></xsl:apply-templates>
   <xsl:apply-templates select="cac:LegalMonetaryTotal/cbc:PayableAmount" mode="row"><xsl:with-param name="k">Ödenecek Tutar</xsl:with-param><xsl:with-param name="c">b</xsl:with-param></xsl:apply-templates>
   <xsl:variable name="rate" select="cac:PricingExchangeRate/cbc:CalculationRate"/>
   <xsl:if test="$rate > 0 and cbc:DocumentCurrencyCode!='TRY'">
    <tr><td>Ödenecek Tutar (TL)</td><td><xsl:value-of select="format-number(cac:LegalMonetaryTotal/cbc:PayableAmount * $rate,'###.##0,00','tr')"/> TL</td></tr>
   </xsl:if>
  </table>
 </td></tr></table>

 <xsl:variable name="pay" select="cac:LegalMonetaryTotal/cbc:PayableAmount"/>
 <div class="yazi">
  <xsl:choose>
   <xsl:when test="string($yaziyla)">Yalnız: <xsl:value-of select="$yaziyla"/></xsl:when>
   <xsl:when test="number($pay) >= 0 and number($pay) &lt; 1000000000000000">Yalnız: <xsl:call-template name="yazi"><xsl:with-param name="a" select="number($pay)"/><xsl:with-param name="c" select="string(cbc:DocumentCurrencyCode)"/></xsl:call-template></xsl:when>
  </xsl:choose>
 </div>

 <xsl:if test="cac:PaymentMeans|cac:PaymentTerms">
  <h3>Ödeme Bilgileri</h3>
  <xsl:for-each select="cac:PaymentMeans">
   <div>Ödeme Şekli: <xsl:call-template name="lookup"><xsl:with-param name="t" select="$P"/><xsl:with-param name="c" select="cbc:PaymentMeansCode"/></xsl:call-template>
    <xsl:for-each select="cbc:PaymentDueDate"> | Son Ödeme: <xsl:apply-templates select="." mode="d"/></xsl:for-each>
    <xsl:for-each select="cbc:PaymentChannelCode"> | Kanal: <xsl:value-of select="."/></xsl:for-each></div>
   <xsl:for-each select="cac:PayeeFinancialAccount">
    <div>IBAN / Hesap: <b><xsl:value-of select="cbc:ID"/></b><xsl:for-each select="cbc:CurrencyCode"> (<xsl:value-of select="."/>)</xsl:for-each>
     <xsl:for-each select="cac:FinancialInstitutionBranch"> | <xsl:value-of select="cac:FinancialInstitution/cbc:Name"/><xsl:text> </xsl:text><xsl:value-of select="cbc:Name"/></xsl:for-each>
     <xsl:for-each select="cbc:PaymentNote"> | <xsl:value-of select="."/></xsl:for-each></div>
   </xsl:for-each>
  </xsl:for-each>
  <xsl:for-each select="cac:PaymentTerms">
   <div><xsl:for-each select="cbc:PaymentDueDate">Son Ödeme Tarihi: <xsl:apply-templates select="." mode="d"/><xsl:text> </xsl:text></xsl:for-each><xsl:value-of select="cbc:Note"/></div>
  </xsl:for-each>
 </xsl:if>
 <xsl:if test="cac:Delivery">
  <h3>Teslimat</h3>
  <xsl:for-each select="cac:Delivery">
   <div><xsl:for-each select="cbc:ActualDeliveryDate">Teslim Tarihi: <xsl:apply-templates select="." mode="d"/> </xsl:for-each>
    <xsl:for-each select="cac:DeliveryTerms/cbc:ID">Teslim Şartı: <xsl:value-of select="."/><xsl:text> </xsl:text></xsl:for-each>
    <xsl:for-each select="cac:CarrierParty">Taşıyıcı: <xsl:value-of select="cac:PartyName/cbc:Name"/><xsl:text> </xsl:text></xsl:for-each>
    <xsl:for-each select="cac:DeliveryAddress"><br/>Teslim Adresi: <xsl:apply-templates select="." mode="adr"/></xsl:for-each></div>
  </xsl:for-each>
 </xsl:if>
 <xsl:if test="cbc:Note[normalize-space()]">
  <h3>Notlar</h3>
  <xsl:for-each select="cbc:Note[normalize-space()]"><div><xsl:value-of select="."/></div></xsl:for-each>
 </xsl:if>
</xsl:template>

<xsl:template match="cac:InvoiceLine">
 <tr>
  <td class="r"><xsl:value-of select="cbc:ID"/></td>
  <td><span class="nm"><xsl:value-of select="cac:Item/cbc:Name"/></span>
   <xsl:for-each select="cac:Item/cbc:BrandName|cac:Item/cbc:ModelName"><xsl:text> </xsl:text><xsl:value-of select="."/></xsl:for-each>
   <xsl:for-each select="cac:Item/cac:SellersItemIdentification/cbc:ID"><br/><span class="sm">Kod: <xsl:value-of select="."/></span></xsl:for-each>
   <xsl:for-each select="cac:Item/cac:BuyersItemIdentification/cbc:ID"><br/><span class="sm">Alıcı Kodu: <xsl:value-of select="."/></span></xsl:for-each>
   <xsl:for-each select="cac:Item/cac:ManufacturersItemIdentification/cbc:ID"><br/><span class="sm">Üretici Kodu: <xsl:value-of select="."/></span></xsl:for-each>
   <xsl:for-each select="cac:Item/cac:AdditionalItemIdentification/cbc:ID"><br/><span class="sm"><xsl:value-of select="@schemeID"/>: <xsl:value-of select="."/></span></xsl:for-each>
   <xsl:for-each select="cac:Delivery/cac:Shipment/cac:GoodsItem/cbc:RequiredCustomsID"><br/><span class="sm">GTİP: <xsl:value-of select="."/></span></xsl:for-each>
   <xsl:for-each select="cac:Delivery/cac:DeliveryTerms/cbc:ID"><br/><span class="sm">Teslim Şartı: <xsl:value-of select="."/></span></xsl:for-each>
   <xsl:for-each select="cac:Item/cbc:Description|cbc:Note"><br/><span class="sm"><xsl:value-of select="."/></span></xsl:for-each>
  </td>
  <td class="r"><xsl:value-of select="format-number(cbc:InvoicedQuantity,'###.##0,########','tr')"/><xsl:text> </xsl:text>
   <xsl:call-template name="lookup"><xsl:with-param name="t" select="$U"/><xsl:with-param name="c" select="cbc:InvoicedQuantity/@unitCode"/></xsl:call-template></td>
  <td class="r"><xsl:apply-templates select="cac:Price/cbc:PriceAmount" mode="m"><xsl:with-param name="f" select="'###.##0,00######'"/></xsl:apply-templates></td>
  <td class="w"><xsl:for-each select="cac:AllowanceCharge[cbc:Amount != 0]"><div><xsl:apply-templates select="." mode="ac"/>: <xsl:apply-templates select="cbc:Amount" mode="m"/></div></xsl:for-each></td>
  <xsl:variable name="kdv" select="cac:TaxTotal/cac:TaxSubtotal[cac:TaxCategory/cac:TaxScheme/cbc:TaxTypeCode='0015']"/>
  <td class="r"><xsl:apply-templates select="$kdv/cbc:Percent" mode="pct"/></td>
  <td class="r"><xsl:apply-templates select="$kdv/cbc:TaxAmount" mode="m"/></td>
  <td class="w"><xsl:for-each select="cac:TaxTotal/cac:TaxSubtotal[not(cac:TaxCategory/cac:TaxScheme/cbc:TaxTypeCode='0015')]">
    <div><xsl:apply-templates select="cac:TaxCategory/cac:TaxScheme" mode="tax"/><xsl:text> </xsl:text><xsl:apply-templates select="cbc:Percent" mode="pct"/>: <xsl:apply-templates select="cbc:TaxAmount" mode="m"/></div></xsl:for-each>
   <xsl:for-each select="cac:WithholdingTaxTotal/cac:TaxSubtotal">
    <div>Tevkifat <xsl:value-of select="cac:TaxCategory/cac:TaxScheme/cbc:TaxTypeCode"/><xsl:text> </xsl:text><xsl:apply-templates select="cbc:Percent" mode="wh"/>: <xsl:apply-templates select="cbc:TaxAmount" mode="m"/></div></xsl:for-each>
   <xsl:for-each select="cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReasonCode"><div class="sm">Muafiyet <xsl:value-of select="."/></div></xsl:for-each></td>
  <td class="r"><xsl:apply-templates select="cbc:LineExtensionAmount" mode="m"/></td>
 </tr>
</xsl:template>

<!-- A party: company (PartyName) or person, address, tax office, identifiers, contact. -->
<xsl:template match="cac:Party|cac:TaxRepresentativeParty">
 <div class="nm"><xsl:value-of select="cac:PartyName/cbc:Name"/>
  <xsl:if test="not(string(cac:PartyName/cbc:Name))"><xsl:value-of select="cac:PartyLegalEntity/cbc:RegistrationName"/></xsl:if>
  <xsl:for-each select="cac:Person"><xsl:if test="string(../cac:PartyName/cbc:Name)"><br/></xsl:if>
   <xsl:for-each select="cbc:Title|cbc:FirstName|cbc:MiddleName|cbc:FamilyName|cbc:NameSuffix"><xsl:value-of select="."/><xsl:text> </xsl:text></xsl:for-each></xsl:for-each>
 </div>
 <xsl:apply-templates select="cac:PostalAddress" mode="adr"/>
 <xsl:for-each select="cac:PartyTaxScheme/cac:TaxScheme/cbc:Name[normalize-space()]"><div>Vergi Dairesi: <xsl:value-of select="."/></div></xsl:for-each>
 <xsl:for-each select="cac:PartyIdentification/cbc:ID[normalize-space()]"><div><xsl:value-of select="@schemeID"/>: <xsl:value-of select="."/></div></xsl:for-each>
 <xsl:for-each select="cac:PartyLegalEntity/cbc:CompanyID[normalize-space()]"><div>Vergi/Sicil No: <xsl:value-of select="."/></div></xsl:for-each>
 <xsl:for-each select="cac:Person/cbc:NationalityID"><div>Uyruk: <xsl:value-of select="."/></div></xsl:for-each>
 <xsl:for-each select="cac:Person/cac:IdentityDocumentReference/cbc:ID"><div>Pasaport No: <xsl:value-of select="."/></div></xsl:for-each>
 <xsl:for-each select="cac:Contact">
  <xsl:for-each select="cbc:Telephone[normalize-space()]"><div>Tel: <xsl:value-of select="."/><xsl:for-each select="../cbc:Telefax[normalize-space()]"> Faks: <xsl:value-of select="."/></xsl:for-each></div></xsl:for-each>
  <xsl:for-each select="cbc:ElectronicMail[normalize-space()]"><div>E-Posta: <xsl:value-of select="."/></div></xsl:for-each>
 </xsl:for-each>
 <xsl:for-each select="cbc:WebsiteURI[normalize-space()]"><div>Web: <xsl:value-of select="."/></div></xsl:for-each>
</xsl:template>

<xsl:template match="*" mode="adr">
 <div><xsl:for-each select="cbc:District|cbc:StreetName|cbc:BlockName|cbc:BuildingName"><xsl:value-of select="concat(.,' ')"/></xsl:for-each>
  <xsl:for-each select="cbc:BuildingNumber[normalize-space()]">No:<xsl:value-of select="concat(.,' ')"/></xsl:for-each>
  <xsl:for-each select="cbc:Room[normalize-space()]">D:<xsl:value-of select="."/></xsl:for-each></div>
 <div><xsl:for-each select="cbc:PostalZone|cbc:CitySubdivisionName|cbc:CityName|cbc:Region|cac:Country/cbc:Name">
  <xsl:if test="normalize-space() and normalize-space()!='-'"><xsl:if test="self::cbc:CityName and normalize-space(../cbc:CitySubdivisionName)">/ </xsl:if><xsl:value-of select="concat(.,' ')"/></xsl:if>
 </xsl:for-each></div>
</xsl:template>

<xsl:template match="*" mode="ref">
 <xsl:param name="k"/>
 <tr><td><xsl:value-of select="$k"/></td><td><xsl:value-of select="cbc:ID"/>
  <xsl:for-each select="cbc:IssueDate"> / <xsl:apply-templates select="." mode="d"/></xsl:for-each>
  <xsl:for-each select="cbc:DocumentTypeCode|cbc:DocumentType|cbc:ID/@schemeID"> (<xsl:value-of select="normalize-space()"/>)</xsl:for-each></td></tr>
</xsl:template>

<xsl:template match="cac:AllowanceCharge" mode="ac">
 <xsl:choose><xsl:when test="cbc:ChargeIndicator='true'">Artırım</xsl:when><xsl:otherwise>İskonto</xsl:otherwise></xsl:choose>
 <xsl:if test="cbc:MultiplierFactorNumeric > 0"> %<xsl:value-of select="format-number(cbc:MultiplierFactorNumeric * 100,'##0,##','tr')"/></xsl:if>
 <xsl:for-each select="cbc:AllowanceChargeReason[normalize-space()]"> (<xsl:value-of select="."/>)</xsl:for-each>
</xsl:template>

<xsl:template match="cac:TaxScheme" mode="tax">
 <xsl:variable name="n" select="substring-before(substring-after($T,concat('|',cbc:TaxTypeCode,'=')),'|')"/>
 <xsl:choose>
  <xsl:when test="string(cbc:TaxTypeCode) and string($n)"><xsl:value-of select="$n"/></xsl:when>
  <xsl:when test="normalize-space(cbc:Name)"><xsl:value-of select="cbc:Name"/><xsl:if test="string(cbc:TaxTypeCode)"> (<xsl:value-of select="cbc:TaxTypeCode"/>)</xsl:if></xsl:when>
  <xsl:when test="string(cbc:TaxTypeCode)"><xsl:value-of select="cbc:TaxTypeCode"/></xsl:when>
  <xsl:otherwise>Vergi</xsl:otherwise>
 </xsl:choose>
</xsl:template>

<xsl:template name="kv">
 <xsl:param name="k"/><xsl:param name="v"/>
 <xsl:if test="normalize-space($v)"><tr><td><xsl:value-of select="$k"/></td><td><xsl:value-of select="$v"/></td></tr></xsl:if>
</xsl:template>

<xsl:template match="*" mode="row">
 <xsl:param name="k"/><xsl:param name="c"/>
 <tr class="{$c}"><td><xsl:copy-of select="$k"/></td><td><xsl:apply-templates select="." mode="m"/></td></tr>
</xsl:template>

<!-- Money: Turkish grouping, two decimals, currency of the amount. -->
<xsl:template match="*" mode="m">
 <xsl:param name="f" select="'###.##0,00'"/>
 <xsl:if test="string(number(.)) != 'NaN'">
  <xsl:value-of select="format-number(.,$f,'tr')"/><xsl:text> </xsl:text>
  <xsl:choose><xsl:when test="@currencyID='TRY' or @currencyID='TRL'">TL</xsl:when><xsl:otherwise><xsl:value-of select="@currencyID"/></xsl:otherwise></xsl:choose>
 </xsl:if>
</xsl:template>

<xsl:template match="*" mode="pct">
 <xsl:if test="string(number(.)) != 'NaN'">%<xsl:value-of select="format-number(.,'##0,##','tr')"/></xsl:if>
</xsl:template>

<!-- Withholding ratio: percent 90 is shown as 9/10, as GIB's tevkifat codes define it. -->
<xsl:template match="*" mode="wh">
 <xsl:choose>
  <xsl:when test=". mod 10 = 0"><xsl:value-of select=". div 10"/>/10</xsl:when>
  <xsl:otherwise><xsl:apply-templates select="." mode="pct"/></xsl:otherwise>
 </xsl:choose>
</xsl:template>

<xsl:template match="*" mode="d">
 <xsl:value-of select="concat(substring(.,9,2),'-',substring(.,6,2),'-',substring(.,1,4))"/>
</xsl:template>

<xsl:template name="lookup">
 <xsl:param name="t"/><xsl:param name="c"/>
 <xsl:variable name="n" select="substring-before(substring-after($t,concat('|',$c,'=')),'|')"/>
 <xsl:value-of select="$n"/><xsl:if test="not(string($n))"><xsl:value-of select="$c"/></xsl:if>
</xsl:template>

<!-- Amount in words, in Turkish: Bin İki Yüz Otuz Dört Türk Lirası Elli Kuruş (render/words.py
 rules). Whole part and hundredths are taken apart before rounding to stay exact in doubles. -->
<xsl:template name="yazi">
 <xsl:param name="a"/><xsl:param name="c"/>
 <xsl:variable name="h" select="round(($a - floor($a)) * 100)"/>
 <xsl:variable name="k" select="$h mod 100"/>
 <xsl:variable name="e" select="substring-before(substring-after($C,concat('|',$c,'=')),'|')"/>
 <xsl:variable name="w"><xsl:call-template name="w"><xsl:with-param name="n" select="floor($a) + floor($h div 100)"/></xsl:call-template></xsl:variable>
 <xsl:value-of select="normalize-space($w)"/><xsl:if test="not(normalize-space($w))">Sıfır</xsl:if>
 <xsl:text> </xsl:text>
 <xsl:value-of select="substring-before($e,'=')"/><xsl:if test="not($e)"><xsl:value-of select="$c"/></xsl:if>
 <xsl:if test="$k > 0">
  <xsl:choose>
   <xsl:when test="$e"><xsl:variable name="f"><xsl:call-template name="w"><xsl:with-param name="n" select="$k"/></xsl:call-template></xsl:variable>
    <xsl:value-of select="concat(' ',normalize-space($f),' ',substring-after($e,'='))"/></xsl:when>
   <xsl:otherwise><xsl:value-of select="concat(' ',format-number($k,'00'),'/100')"/></xsl:otherwise>
  </xsl:choose>
 </xsl:if>
</xsl:template>

<xsl:template name="w">
 <xsl:param name="n"/><xsl:param name="s" select="0"/>
 <xsl:variable name="g" select="$n mod 1000"/>
 <xsl:if test="$n >= 1000"><xsl:call-template name="w"><xsl:with-param name="n" select="floor($n div 1000)"/><xsl:with-param name="s" select="$s + 1"/></xsl:call-template></xsl:if>
 <xsl:if test="$g > 0">
  <xsl:variable name="h" select="floor($g div 100)"/><xsl:variable name="t" select="floor($g mod 100 div 10)"/><xsl:variable name="u" select="$g mod 10"/>
  <xsl:if test="$h > 1"><xsl:value-of select="concat(substring($O,$h * 5 - 4,5),' ')"/></xsl:if>
  <xsl:if test="$h > 0">Yüz </xsl:if>
  <xsl:if test="$t > 0"><xsl:value-of select="concat(substring($X,$t * 6 - 5,6),' ')"/></xsl:if>
  <xsl:if test="$u > 0 and not($g = 1 and $s = 1)"><xsl:value-of select="concat(substring($O,$u * 5 - 4,5),' ')"/></xsl:if>
  <xsl:if test="$s > 0"><xsl:value-of select="concat(substring($S,$s * 7 - 6,7),' ')"/></xsl:if>
 </xsl:if>
</xsl:template>
</xsl:stylesheet>
