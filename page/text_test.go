package page

import "testing"

func TestText(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{
			name: "empty document",
			src:  "",
			want: "",
		},
		{
			name: "only white space",
			src:  "<p> \n\t </p><div>&nbsp;</div>",
			want: "",
		},
		{
			name: "inline elements do not break",
			src:  "<p>Hello <b>bold</b><i>italic</i>  <span>\n world</span></p>",
			want: "Hello bolditalic world",
		},
		{
			name: "paragraphs are set off by a blank line",
			src:  "<h1>Title</h1><p>One</p><p>Two</p>",
			want: "Title\n\nOne\n\nTwo",
		},
		{
			name: "divs and list items start a line",
			src:  "<div>a<div>b</div>c</div><ul><li>one</li><li>two</li></ul><div>after</div>",
			want: "a\nb\nc\n\none\ntwo\n\nafter",
		},
		{
			name: "br breaks a line and two give one blank line",
			src:  "<p>a<br>b<br><br>c<br><br><br><br>d</p>",
			want: "a\nb\n\nc\n\nd",
		},
		{
			name: "table rows are lines and cells are spaced",
			src:  "<table><tr><th>Name</th><th>Price</th></tr><tr><td>Pen</td><td>$1</td></tr></table>",
			want: "Name Price\nPen $1",
		},
		{
			name: "skipped elements",
			src: `<head><title>T</title><style>p{}</style></head><body><script>alert("x")</script>` +
				`<noscript>no js</noscript><template><p>tpl</p></template><iframe>frame</iframe>` +
				`<!-- comment --><p>kept</p><svg><title>icon</title><text>svg</text></svg><object>obj</object></body>`,
			want: "kept",
		},
		{
			name: "pre keeps line breaks",
			src:  "<p>before</p><pre>line 1\n  line 2\n\n\n\nline 3\n</pre><p>after</p>",
			want: "before\n\nline 1\nline 2\n\nline 3\n\nafter",
		},
		{
			name: "no-break spaces collapse",
			src:  "<p>Price:&nbsp;&nbsp;$10</p>",
			want: "Price: $10",
		},
		{
			name: "unclosed tags and stray end tags",
			src:  "<div><p>one<p>two</span></div></div><li>three<li>four</b><p>five",
			want: "one\n\ntwo\n\nthree\nfour\n\nfive",
		},
		{
			name: "entities are decoded",
			src:  "<p>Fish &amp; chips &lt;3 &eacute;t&eacute;</p>",
			want: "Fish & chips <3 été",
		},
		{
			name: "realistic product page",
			src:  shopPage,
			want: "Laptops\nCameras\nCart (0)\n\n" +
				"Home › Laptops › Nordwind ProBook 14\n\n" +
				"Nordwind ProBook 14\n\n" +
				"$1,234.50 $1,399.00\n\n" +
				"In stock\n\n" +
				"Light, fast and quiet.\nShips in 24 hours.\n\n" +
				"Weight 1.2 kg\nBattery 20 h\n\n" +
				"© 2024 Demo Shop. Contact Call",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := parse(t, tt.src)
			before := render(t, doc)
			if got := Text(doc); got != tt.want {
				t.Errorf("Text() =\n%q\nwant\n%q", got, tt.want)
			}
			if after := render(t, doc); after != before {
				t.Errorf("Text modified the document")
			}
		})
	}
}

func TestTextNil(t *testing.T) {
	if got := Text(nil); got != "" {
		t.Errorf("Text(nil) = %q, want \"\"", got)
	}
}
