// Entry point: builds the communicator once the page is parsed (module scripts are deferred).
import { App } from './ui/App.js';

window.mediaServer = new App();
