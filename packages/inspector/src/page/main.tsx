/** The inspector page: a header with the places of the current run, and the page the URL's hash names. */
import { type JSX, render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { CorrelationPage } from './correlation-page.js';
import { EntryPage } from './entry-page.js';
import { MarkersPage } from './markers-page.js';
import { parseRoute, type Route, routeHash } from './routes.js';
import { RunsPage } from './runs-page.js';
import { TextForm } from './text-form.js';
import { TimelinePage } from './timeline-page.js';
import './styles.css';

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

function OrderSearch({ instanceId, runId, initial }: { instanceId: string; runId: string; initial: string }) {
  const [key, setKey] = useState(initial);
  useEffect(() => setKey(initial), [initial]);
  return (
    <TextForm
      class="search"
      testId="order-search"
      placeholder="order id (client or venue)"
      button="Find"
      value={key}
      onValue={setKey}
      onSubmit={(typed) => {
        if (typed.trim() !== '') location.hash = routeHash({ page: 'correlation', instanceId, runId, key: typed.trim() });
      }}
    />
  );
}

function Header({ route }: { route: Route }) {
  const inRun = route.page !== 'runs';
  return (
    <header>
      <a class="brand" href="#/">
        tapelog inspect
      </a>
      <nav>
        <a href="#/" class={route.page === 'runs' ? 'active' : ''}>
          Runs
        </a>
        {inRun ? (
          <>
            <span class="run-name" title={`${route.instanceId} / ${route.runId}`}>
              {route.instanceId} / {route.runId}
            </span>
            <a href={routeHash({ page: 'timeline', instanceId: route.instanceId, runId: route.runId })} class={route.page === 'timeline' ? 'active' : ''}>
              Timeline
            </a>
            <a href={routeHash({ page: 'markers', instanceId: route.instanceId, runId: route.runId })} class={route.page === 'markers' ? 'active' : ''}>
              Markers
            </a>
          </>
        ) : null}
      </nav>
      {inRun ? <OrderSearch instanceId={route.instanceId} runId={route.runId} initial={route.page === 'correlation' ? route.key : ''} /> : null}
    </header>
  );
}

/** The page the route names. */
function Page({ route }: { route: Route }): JSX.Element {
  switch (route.page) {
    case 'runs':
      return <RunsPage />;
    case 'timeline':
      return <TimelinePage route={route} />;
    case 'entry':
      return <EntryPage route={route} />;
    case 'correlation':
      return <CorrelationPage route={route} />;
    case 'markers':
      return <MarkersPage route={route} />;
  }
}

function App() {
  const route = useRoute();
  return (
    <>
      <Header route={route} />
      <main>
        <Page route={route} />
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
