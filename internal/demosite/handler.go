package demosite

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// serve is the shop's handler: it counts the request, waits out the
// configured latency and routes.
func (s *Shop) serve(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	path := r.URL.Path
	s.count(path)
	if r.URL.RawQuery != "" {
		s.count(path + "?" + r.URL.RawQuery)
	}
	if d := s.cfg.Latency; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}

	ep := s.epoch.Load()
	ps := ep.products
	origin := "http://" + r.Host
	if r.TLS != nil {
		origin = "https://" + r.Host
	}
	buf := s.getBuf()
	defer s.putBuf(buf)

	switch {
	case path == "/":
		s.renderHome(buf, ps, origin)
	case path == "/products":
		page, ok := pageParam(r)
		if !ok {
			s.notFound(w, r, buf, origin)
			return
		}
		l := s.newListing("All products", "All products", "All "+strconv.Itoa(len(ps))+" products of the "+siteName+".",
			"/products", page, s.ids, crumb{"Home", "/"}, crumb{"All products", ""})
		if l == nil {
			s.notFound(w, r, buf, origin)
			return
		}
		s.renderListing(buf, l, ps, origin)
	case strings.HasPrefix(path, "/category/"):
		c := s.category(strings.TrimPrefix(path, "/category/"))
		page, ok := pageParam(r)
		if c == nil || !ok {
			s.notFound(w, r, buf, origin)
			return
		}
		l := s.newListing(c.Name, c.Name, c.Name+" at the "+siteName+": "+strconv.Itoa(len(c.ids))+" products.",
			"/category/"+c.Slug, page, c.ids, crumb{"Home", "/"}, crumb{c.Name, ""})
		if l == nil {
			s.notFound(w, r, buf, origin)
			return
		}
		s.renderListing(buf, l, ps, origin)
	case strings.HasPrefix(path, "/product/"):
		rest := strings.TrimPrefix(path, "/product/")
		idText, slug, _ := strings.Cut(rest, "-")
		id, err := strconv.Atoi(idText)
		if err != nil || id < 1 || id > len(ps) || idText != strconv.Itoa(id) {
			s.notFound(w, r, buf, origin)
			return
		}
		p := &ps[id-1]
		if slug != p.Slug {
			http.Redirect(w, r, p.URL, http.StatusMovedPermanently)
			return
		}
		s.renderProduct(buf, p, ps, origin)
	case strings.HasPrefix(path, "/img/") && strings.HasSuffix(path, ".jpg"):
		idText := strings.TrimSuffix(strings.TrimPrefix(path, "/img/"), ".jpg")
		id, err := strconv.Atoi(idText)
		if err != nil || id < 1 || id > len(ps) || idText != strconv.Itoa(id) {
			s.notFound(w, r, buf, origin)
			return
		}
		writeJPEG(buf, id)
		write(w, r, "image/jpeg", http.StatusOK, buf)
		return
	case strings.HasPrefix(path, "/info/"):
		slug := strings.TrimPrefix(path, "/info/")
		title, body, ok := infoPage(slug)
		if !ok {
			s.notFound(w, r, buf, origin)
			return
		}
		s.renderInfo(buf, slug, title, body, origin)
	case path == "/cart":
		s.renderCart(buf, origin)
	case path == "/sitemap.xml":
		s.renderSitemap(buf, ps, origin)
		write(w, r, "application/xml; charset=utf-8", http.StatusOK, buf)
		return
	case path == "/robots.txt":
		if s.cfg.Robots != "" {
			buf.WriteString(s.cfg.Robots)
		} else {
			buf.WriteString(DefaultRobots + "Sitemap: " + origin + "/sitemap.xml\n")
		}
		write(w, r, "text/plain; charset=utf-8", http.StatusOK, buf)
		return
	default:
		s.notFound(w, r, buf, origin)
		return
	}
	write(w, r, "text/html; charset=utf-8", http.StatusOK, buf)
}

// notFound writes the 404 page; buf may hold a partial page, which is
// discarded.
func (s *Shop) notFound(w http.ResponseWriter, r *http.Request, buf *bytes.Buffer, origin string) {
	buf.Reset()
	s.renderNotFound(buf, origin)
	write(w, r, "text/html; charset=utf-8", http.StatusNotFound, buf)
}

// write sends body with its type and length; for a HEAD request only the
// header.
func write(w http.ResponseWriter, r *http.Request, contentType string, status int, body *bytes.Buffer) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(body.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body.Bytes()) // a client that went away is not the shop's problem
	}
}

// pageParam returns the listing page number of r: 1 without a page
// parameter, and false for anything but one positive decimal number.
func pageParam(r *http.Request) (int, bool) {
	q := r.URL.Query()
	vals, ok := q["page"]
	if !ok {
		return 1, true
	}
	if len(vals) != 1 {
		return 0, false
	}
	n, err := strconv.Atoi(vals[0])
	if err != nil || n < 1 || vals[0] != strconv.Itoa(n) {
		return 0, false
	}
	return n, true
}

// newListing returns page `page` of a listing of ids, or nil when there is no
// such page. An empty listing has one (empty) page.
func (s *Shop) newListing(title, heading, description, path string, page int, ids []int, cs ...crumb) *listing {
	per := s.cfg.PerPage
	pages := max(1, (len(ids)+per-1)/per)
	if page > pages {
		return nil
	}
	from := (page - 1) * per
	to := min(from+per, len(ids))
	return &listing{
		title: title, heading: heading, description: description, path: path,
		page: page, pages: pages, ids: ids[from:to], total: len(ids), first: from + 1, crumbs: cs,
	}
}

// allIDs returns 1..n.
func allIDs(n int) []int {
	ids := make([]int, n)
	for i := range ids {
		ids[i] = i + 1
	}
	return ids
}

// writeJPEG writes a small JPEG whose colour depends on id.
func writeJPEG(w *bytes.Buffer, id int) {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	c := color.RGBA{R: uint8(id * 67), G: uint8(id * 131), B: uint8(id * 29), A: 255}
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	// Encoding an in-memory image into a buffer cannot fail.
	_ = jpeg.Encode(w, img, &jpeg.Options{Quality: 75})
}
