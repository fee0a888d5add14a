// The report's one script (allowed by its hash in the CSP): the findings explorer (filter by host,
// level, stage and text; 100 rows a page, built with textContent so no attacker string becomes markup),
// the overview filter, and opening every <details> before printing. Without it the page still shows
// the answers and the first page of findings.
export const SCRIPT = `(function(){
"use strict";
var D=JSON.parse(document.getElementById("exhunt-data").textContent);
var PER=100,page=0,rows=D.f,shown=rows;
var $=function(id){return document.getElementById(id);};
var body=$("f-body"),info=$("f-info"),fh=$("f-host"),fl=$("f-level"),fs=$("f-stage"),fq=$("f-q");
function td(tr,text,cls){var c=document.createElement("td");c.textContent=text;if(cls)c.className=cls;tr.appendChild(c);return c;}
function iso(t){return t===null?"(no time)":new Date(t).toISOString().replace("T"," ").replace(/\\.\\d{3}Z$/," UTC");}
function apply(){
  var h=fh?fh.value:"",l=fl.value===""?-1:+fl.value,s=fs.value,q=fq.value.toLowerCase();
  shown=rows.filter(function(r){
    if(h!==""&&r[0]!==+h)return false;
    if(l>=0&&r[2]<l)return false;
    if(s!==""&&r[3]!==+s)return false;
    if(q&&(D.titles[r[4]]+" "+D.paths[r[5]]+" "+r[8]+" "+r[9]).toLowerCase().indexOf(q)<0)return false;
    return true;});
  page=0;draw();}
function draw(){
  var pages=Math.max(1,Math.ceil(shown.length/PER));if(page>=pages)page=pages-1;
  var frag=document.createDocumentFragment();
  shown.slice(page*PER,page*PER+PER).forEach(function(r){
    var tr=document.createElement("tr");
    if(D.hosts.length>1)td(tr,D.hosts[r[0]]);
    td(tr,iso(r[1]),"when");td(tr,D.levels[r[2]],"lvl l-"+D.levels[r[2]]);td(tr,D.stages[r[3]]);td(tr,D.titles[r[4]]);
    td(tr,D.paths[r[5]]+(r[6]!==null?":"+r[6]:"")+(r[7]!==null?" record "+r[7]:""));td(tr,r[8]);
    var c=td(tr,"","ex-cell"),code=document.createElement("code");code.textContent=r[9];c.appendChild(code);
    frag.appendChild(tr);});
  body.textContent="";body.appendChild(frag);
  info.textContent=shown.length+" of "+rows.length+" findings, page "+(page+1)+" of "+pages;
  $("f-prev").disabled=page===0;$("f-next").disabled=page>=pages-1;}
var timer=0;
[fh,fl,fs].forEach(function(e){if(e)e.addEventListener("change",apply);});
fq.addEventListener("input",function(){clearTimeout(timer);timer=setTimeout(apply,150);});
$("f-prev").addEventListener("click",function(){page--;draw();});
$("f-next").addEventListener("click",function(){page++;draw();});
Array.prototype.forEach.call(document.querySelectorAll("a.show-findings"),function(a){a.addEventListener("click",function(){if(fh){fh.value=a.getAttribute("data-host");apply();}});});
var ov=$("o-q"),ovv=$("o-verdict");
function ovApply(){var q=ov.value.toLowerCase(),v=ovv.value;Array.prototype.forEach.call(document.querySelectorAll("#overview tbody tr"),function(tr){tr.hidden=!((v===""||tr.getAttribute("data-verdict")===v)&&(q===""||tr.getAttribute("data-name").indexOf(q)>=0));});}
if(ov){ov.addEventListener("input",ovApply);ovv.addEventListener("change",ovApply);}
window.addEventListener("beforeprint",function(){Array.prototype.forEach.call(document.querySelectorAll("details"),function(d){d.open=true;});});
document.documentElement.setAttribute("data-ready","1");
draw();
})();`;
