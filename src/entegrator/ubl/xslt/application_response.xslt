<?xml version="1.0" encoding="UTF-8"?>
<!--
 entegrator - uygulama yaniti (KABUL / RED / IADE) goruntuleme sablonu (XSLT 1.0),
 SPDX-License-Identifier: Apache-2.0. Any UBL-TR ApplicationResponse -> one A4 HTML page.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
 xmlns:a="urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
 exclude-result-prefixes="a cac cbc">
<xsl:output method="html" encoding="UTF-8" indent="no" doctype-system="about:legacy-compat"/>

<xsl:template match="/">
 <html lang="tr"><head><meta charset="UTF-8"/><title>Uygulama Yanıtı <xsl:value-of select="a:ApplicationResponse/cbc:ID"/></title>
 <style>
@page{size:A4;margin:12mm}
body{font:9pt/1.4 "DejaVu Sans",Arial,Helvetica,sans-serif;color:#000;margin:0}
.pg{max-width:186mm;margin:0 auto}
table{border-collapse:collapse;width:100%}td,th{vertical-align:top;padding:2px 4px;text-align:left}
h1{text-align:center;font-size:15pt;margin:4px 0 10px}
.code{text-align:center;font:bold 20pt sans-serif;border:3px solid #000;padding:4px;margin:8px auto;width:60mm}
.RED{color:#b00000;border-color:#b00000}.KABUL{color:#006400;border-color:#006400}
.box{border-top:1px solid #000;border-bottom:1px solid #000;padding:2px 0}
.kv td{border:1px solid #888}.kv td:first-child{font-weight:bold;width:45mm}
h3{font-size:9pt;margin:10px 0 2px;border-bottom:1px solid #000}
 </style></head><body><div class="pg">
 <xsl:choose>
  <xsl:when test="a:ApplicationResponse"><xsl:apply-templates select="a:ApplicationResponse"/></xsl:when>
  <xsl:otherwise><p>Bu şablon yalnızca UBL-TR uygulama yanıtı (ApplicationResponse) belgelerini gösterir.</p></xsl:otherwise>
 </xsl:choose>
 </div></body></html>
</xsl:template>

<xsl:template match="a:ApplicationResponse">
 <h1>e-Fatura Uygulama Yanıtı</h1>
 <xsl:variable name="code" select="normalize-space(cac:DocumentResponse/cac:Response/cbc:ResponseCode)"/>
 <div class="code {$code}"><xsl:value-of select="$code"/></div>
 <table><tr>
  <td style="width:50%"><div class="box"><b>GÖNDEREN</b><xsl:apply-templates select="cac:SenderParty"/></div></td>
  <td style="width:50%"><div class="box"><b>ALICI</b><xsl:apply-templates select="cac:ReceiverParty"/></div></td>
 </tr></table>
 <h3>Yanıt Bilgileri</h3>
 <table class="kv">
  <tr><td>Yanıt No</td><td><xsl:value-of select="cbc:ID"/></td></tr>
  <tr><td>ETTN</td><td><xsl:value-of select="cbc:UUID"/></td></tr>
  <tr><td>Senaryo</td><td><xsl:value-of select="cbc:ProfileID"/></td></tr>
  <tr><td>Tarih</td><td><xsl:apply-templates select="cbc:IssueDate" mode="d"/><xsl:text> </xsl:text><xsl:value-of select="substring(cbc:IssueTime,1,8)"/></td></tr>
  <xsl:for-each select="cac:DocumentResponse/cac:Response/cbc:Description[normalize-space()]"><tr><td>Açıklama</td><td><xsl:value-of select="."/></td></tr></xsl:for-each>
 </table>
 <h3>Yanıtlanan Belge</h3>
 <table class="kv">
  <xsl:for-each select="cac:DocumentResponse/cac:DocumentReference">
   <tr><td>Belge No</td><td><xsl:value-of select="cbc:ID"/></td></tr>
   <xsl:for-each select="cbc:UUID"><tr><td>Belge ETTN</td><td><xsl:value-of select="."/></td></tr></xsl:for-each>
   <tr><td>Belge Tarihi</td><td><xsl:apply-templates select="cbc:IssueDate" mode="d"/></td></tr>
   <tr><td>Belge Türü</td><td><xsl:value-of select="cbc:DocumentTypeCode"/><xsl:if test="not(cbc:DocumentTypeCode)"><xsl:value-of select="cbc:DocumentType"/></xsl:if></td></tr>
  </xsl:for-each>
 </table>
 <xsl:if test="cac:DocumentResponse/cac:LineResponse/cac:Response[normalize-space(cbc:Description)]">
  <h3>Satır Yanıtları</h3>
  <table class="kv">
   <xsl:for-each select="cac:DocumentResponse/cac:LineResponse">
    <tr><td><xsl:value-of select="cac:Response/cbc:ResponseCode"/><xsl:for-each select="cac:LineReference/cbc:LineID[normalize-space()]"> (satır <xsl:value-of select="."/>)</xsl:for-each></td>
     <td><xsl:value-of select="cac:Response/cbc:Description"/></td></tr>
   </xsl:for-each>
  </table>
 </xsl:if>
 <xsl:if test="cbc:Note[normalize-space()]">
  <h3>Notlar</h3>
  <xsl:for-each select="cbc:Note[normalize-space()]"><div><xsl:value-of select="."/></div></xsl:for-each>
 </xsl:if>
</xsl:template>

<xsl:template match="cac:SenderParty|cac:ReceiverParty">
 <div><b><xsl:value-of select="cac:PartyName/cbc:Name"/>
  <xsl:for-each select="cac:Person/cbc:FirstName|cac:Person/cbc:FamilyName"><xsl:value-of select="concat(.,' ')"/></xsl:for-each></b></div>
 <xsl:for-each select="cac:PostalAddress">
  <div><xsl:for-each select="cbc:StreetName|cbc:BuildingNumber|cbc:CitySubdivisionName|cbc:CityName|cac:Country/cbc:Name"><xsl:value-of select="concat(.,' ')"/></xsl:for-each></div>
 </xsl:for-each>
 <xsl:for-each select="cac:PartyTaxScheme/cac:TaxScheme/cbc:Name[normalize-space()]"><div>Vergi Dairesi: <xsl:value-of select="."/></div></xsl:for-each>
 <xsl:for-each select="cac:PartyIdentification/cbc:ID[normalize-space()]"><div><xsl:value-of select="@schemeID"/>: <xsl:value-of select="."/></div></xsl:for-each>
</xsl:template>

<xsl:template match="*" mode="d">
 <xsl:value-of select="concat(substring(.,9,2),'-',substring(.,6,2),'-',substring(.,1,4))"/>
</xsl:template>
</xsl:stylesheet>
