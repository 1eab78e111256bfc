package runner_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/titanscrape/titan"
	"github.com/titanscrape/titan/runner"
	"github.com/titanscrape/titan/titantest"
)

// A custom action registered with the runner; tasks use it by its type.
func ExampleConfig_actions() {
	shout := titan.ActionFunc(func(ctx context.Context, in *titan.Input, out titan.Emitter) error {
		return out.Emit(ctx, titan.Record{Data: map[string]any{"loud": strings.ToUpper(in.Item.URL)}})
	})
	r, err := runner.New(runner.Config{Actions: map[titan.ActionType]titan.Action{"shout": shout}})
	if err != nil {
		panic(err)
	}
	res := titantest.Run(context.Background(), r, &titan.Task{
		Name:       "shout",
		ActionType: "shout",
		URLs:       []string{"https://example.test/hello"},
	})
	fmt.Println(res.Records[0].Data["loud"], res.Stats.ValidRecords)
	// Output: HTTPS://EXAMPLE.TEST/HELLO 1
}
