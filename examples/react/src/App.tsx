// Each entry registers its element and types its tag in JSX: properties, and a handler per event under the
// event's exact name (React 19 listens for `onchorus-engagement` as `chorus-engagement`).
import '@chorus/quote-to-tweet/react';
import '@chorus/comment-prompt/react';
import '@chorus/course-cta/react';
import type { EngagementEvent } from '@chorus/core';
import { useState } from 'react';

export function App() {
  const [events, setEvents] = useState<string[]>([]);
  const [reply, setReply] = useState('');
  const log = ({ detail }: EngagementEvent) => setEvents((seen) => [...seen, [detail.widget, detail.type, detail.network].filter(Boolean).join(' ')]);

  return (
    <main>
      <h1>Chorus in React</h1>
      <quote-to-tweet url="https://blog.example/posts/influence" via="fieldnotes" hashtags="writing" networks="x bluesky" class="pull" onchorus-engagement={log}>
        Audience is who sees you. Influence is who acts because of you.
      </quote-to-tweet>
      <comment-prompt maxLength={500} onchorus-engagement={log} oncomment-prompt-sent={(event) => setReply(event.detail.text)}>
        Audience or influence: which matters more to you?
      </comment-prompt>
      <course-cta href="https://courses.example/influence" campaign="influence-course" label="Take the course" dismissible dismissDays={7} onchorus-engagement={log}>
        <h2 slot="heading">Want to know more?</h2>
        <p>Six weeks on writing for the readers who act.</p>
      </course-cta>
      <output id="reply">{reply && `Reply sent: ${reply}`}</output>
      <ol id="events">
        {events.map((event, index) => (
          <li key={index}>{event}</li>
        ))}
      </ol>
    </main>
  );
}
