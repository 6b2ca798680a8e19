/* Lightbox for a brand's identity pictures. Links keep working without JavaScript (they open the large
   picture). With it: a modal dialog, arrow keys and swipes move between pictures, Esc or the close
   button closes, and focus returns to the picture that opened it. */
(function () {
  "use strict";
  var list = document.querySelector("[data-lightbox]");
  if (!list || typeof HTMLDialogElement === "undefined") return;
  var links = Array.prototype.slice.call(list.querySelectorAll("a.lightbox-link"));
  if (!links.length) return;
  var single = links.length === 1;

  var dialog = document.createElement("dialog");
  dialog.className = "lightbox";
  dialog.setAttribute("aria-label", "品牌形象图片");
  dialog.innerHTML =
    '<figure class="lightbox-figure"><div class="lightbox-frame"></div><figcaption></figcaption></figure>' +
    '<p class="lightbox-count" aria-live="polite"></p>' +
    '<button type="button" class="lightbox-close" aria-label="关闭">×</button>' +
    '<button type="button" class="lightbox-prev" aria-label="上一张">‹</button>' +
    '<button type="button" class="lightbox-next" aria-label="下一张">›</button>';
  document.body.appendChild(dialog);
  if (single) dialog.classList.add("lightbox-single");
  var frame = dialog.querySelector(".lightbox-frame");
  var caption = dialog.querySelector("figcaption");
  var count = dialog.querySelector(".lightbox-count");
  var index = 0;
  var opener = null;

  function show(next) {
    index = (next + links.length) % links.length;
    var link = links[index];
    var picture = link.querySelector("picture, img").cloneNode(true);
    Array.prototype.forEach.call(picture.querySelectorAll("source, img"), function (node) {
      if (node.hasAttribute("sizes")) node.setAttribute("sizes", "(min-width: 1100px) 1000px, 92vw");
      node.removeAttribute("loading");
      if (node.tagName === "IMG") node.draggable = false;  /* a drag is a swipe here, not a file drag */
    });
    frame.replaceChildren(picture);
    var text = link.parentNode.querySelector("figcaption");
    caption.textContent = text ? text.textContent : "";
    count.textContent = (index + 1) + " / " + links.length;
  }

  links.forEach(function (link, position) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      opener = link;
      show(position);
      dialog.showModal();
      dialog.querySelector(".lightbox-close").focus();
    });
  });

  dialog.querySelector(".lightbox-prev").addEventListener("click", function () { show(index - 1); });
  dialog.querySelector(".lightbox-next").addEventListener("click", function () { show(index + 1); });
  dialog.querySelector(".lightbox-close").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft") { show(index - 1); event.preventDefault(); }
    if (event.key === "ArrowRight") { show(index + 1); event.preventDefault(); }
  });
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close();  /* a click on the backdrop */
  });
  dialog.addEventListener("close", function () {
    frame.replaceChildren();
    if (opener) opener.focus();
  });

  /* Swipe: a horizontal drag of more than 40 px moves to the neighbouring picture. */
  var startX = null;
  frame.addEventListener("pointerdown", function (event) { startX = event.clientX; });
  frame.addEventListener("pointerup", function (event) {
    if (startX === null) return;
    var moved = event.clientX - startX;
    startX = null;
    if (Math.abs(moved) > 40) show(moved < 0 ? index + 1 : index - 1);
  });
})();
