package engine_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/engine"
	"github.com/titanscrape/titan/schema"
)

// Desk is the output of the example task; its tags say where each field is.
type Desk struct {
	Name  string  `json:"name" selector:"h1"`
	Price float64 `json:"price" selector:".price"`
}

func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><h1>Oak desk</h1><span class="price">$1,249.00</span></body></html>`)
	}))
	defer srv.Close()

	ctx := context.Background()
	eng, err := engine.New(engine.Config{})
	if err != nil {
		panic(err)
	}
	defer eng.Close(ctx)

	task, err := eng.CreateTask(ctx, &titan.Task{
		Name:         "desk price",
		URLs:         []string{srv.URL + "/desk"},
		OutputSchema: schema.MustFor[Desk](),
	})
	if err != nil {
		panic(err)
	}
	x, err := eng.Run(ctx, task.ID, engine.Wait())
	if err != nil {
		panic(err)
	}
	fmt.Println(x.Status, x.Reason)
	for rec, err := range eng.Records(ctx, x.ID) {
		if err != nil {
			panic(err)
		}
		d, err := titan.Decode[Desk](rec)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %.2f\n", d.Name, d.Price)
	}
	// Output:
	// completed 1 pages, 1 records
	// Oak desk: 1249.00
}
